// The one script any public page runs: the confirmation page submits its own form as soon as a browser
// shows it, so the reader's click in the email is all it takes, while a mail scanner that fetches the link
// without running the page confirms nothing. The Content-Security-Policy allows exactly this text by its
// hash (no 'unsafe-inline', no nonce to thread through each answer).
import { createHash } from 'node:crypto';

export const CONFIRM_FORM_ID = 'confirm-subscription';

export const CONFIRM_SCRIPT = `document.getElementById(${JSON.stringify(CONFIRM_FORM_ID)}).submit();`;

/** The CSP source expression for CONFIRM_SCRIPT: sha256 of its exact bytes, base64. */
export const CONFIRM_SCRIPT_SOURCE = `'sha256-${createHash('sha256').update(CONFIRM_SCRIPT, 'utf8').digest('base64')}'`;
