// The Content-Security-Policy of every page: nothing loaded from anywhere, forms post only here, and no
// page may be framed. Scripts run on one page only, and only the one whose hash is listed: the confirmation
// page's form submits itself. Two exceptions, one path each, for the editor console's preview: the
// upcoming edition (/admin) frames the email, and the email (/admin/preview) may be framed by this site.
import { CONFIRM_SCRIPT_SOURCE } from './confirm-script.js';

const STRICT = ["default-src 'none'", "style-src 'unsafe-inline'", "form-action 'self'", "base-uri 'none'"];

export function contentSecurityPolicy(path: string): string {
  const framedBy = path === '/admin/preview' ? "frame-ancestors 'self'" : "frame-ancestors 'none'";
  const frames = path === '/admin' ? ["frame-src 'self'"] : [];
  const scripts = path === '/confirm' ? [`script-src ${CONFIRM_SCRIPT_SOURCE}`] : [];
  return [...STRICT, framedBy, ...frames, ...scripts].join('; ');
}
