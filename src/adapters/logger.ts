// Structured logs: JSON lines (pino) when stderr is not a terminal, short readable lines when it is.
// Log fields carry ids and counts, never addresses, tokens or secrets.
import pino from 'pino';

export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

function humanLine(level: string, event: string, fields: Record<string, unknown> = {}): string {
  const details = Object.entries(fields)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `${new Date().toISOString().slice(11, 19)} ${level.padEnd(5)} ${event}${details ? ` ${details}` : ''}\n`;
}

export function createLogger(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  options: { json?: boolean } = {},
): Logger {
  const json = options.json ?? !stream.isTTY;
  if (!json) {
    return {
      info: (event, fields) => stream.write(humanLine('info', event, fields)),
      warn: (event, fields) => stream.write(humanLine('warn', event, fields)),
      error: (event, fields) => stream.write(humanLine('error', event, fields)),
    };
  }
  const log = pino(
    { base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime, messageKey: 'event' },
    stream as pino.DestinationStream,
  );
  return {
    info: (event, fields) => log.info(fields ?? {}, event),
    warn: (event, fields) => log.warn(fields ?? {}, event),
    error: (event, fields) => log.error(fields ?? {}, event),
  };
}

/** For tests and for commands whose output is the product (dry runs): drops everything. */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
