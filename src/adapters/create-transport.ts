import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import { createOutboxTransport } from './outbox-transport.js';
import { createResendTransport } from './resend-transport.js';
import type { Transport } from './transport.js';

/** Resend when RESEND_API_KEY is set, the outbox otherwise, so the whole system works with no account. */
export function createTransport(config: Config, clock: Clock): Transport {
  if (config.resendApiKey) {
    return createResendTransport({
      apiKey: config.resendApiKey,
      baseUrl: config.resendBaseUrl,
      timeoutMs: config.requestTimeoutMs,
      now: () => clock.now(),
    });
  }
  return createOutboxTransport(config.outboxDir, clock);
}
