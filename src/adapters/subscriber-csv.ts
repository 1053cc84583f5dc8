// Reads a subscriber CSV with a real parser (quoted fields, BOM, CRLF) and keeps each row's line number.
// The file is streamed, one record at a time, so a file of a million rows is never held in memory.
import { Readable } from 'node:stream';
import { Parser } from 'csv-parse';

export interface CsvRow {
  /** 1-based line of the file where the record starts (the header is line 1). */
  readonly line: number;
  /** 0-based position of the record among the rows after the header. */
  readonly index: number;
  readonly fields: Readonly<Record<string, string>>;
}

export type CsvResult =
  | { readonly ok: true; readonly columns: string[]; readonly rows: number }
  | { readonly ok: false; readonly error: string };

/** A CSV given as text (tests, small inputs) or as a way to open it afresh: an import reads it twice. */
export type CsvSource = string | (() => Readable);

/**
 * The parser, with each record paired with the line it ends on. The parser's `info` option gives that too,
 * but copies its whole counters object twice for every record, which cost more than the parsing itself at a
 * million rows; the counters are read here at the moment the record is complete, which is when that copy
 * is taken.
 */
class NumberedParser extends Parser {
  override push(record: unknown, encoding?: BufferEncoding): boolean {
    return super.push(record === null ? null : { record, lines: this.info.lines }, encoding);
  }
}

/** The file itself could not be read (not its contents): `cause` is the file system's error. */
export class CsvUnreadableError extends Error {
  override name = 'CsvUnreadableError';
  constructor(override readonly cause: unknown) {
    super(String((cause as Error)?.message ?? cause));
  }
}

function open(source: CsvSource): Readable {
  return typeof source === 'string' ? Readable.from([source]) : source();
}

// csv-parse's line counter advances on every CR and every LF inside a quoted field (so a quoted CRLF counts
// twice); count them the same way to step back from the record's last line to its first.
function lineBreaksIn(record: readonly string[]): number {
  let count = 0;
  for (const field of record) {
    if (field.includes('\r') || field.includes('\n')) count += field.match(/[\r\n]/g)?.length ?? 0;
  }
  return count;
}

/**
 * Reads the CSV at `source`, calling `onRow` for each record after the header, in order (awaited, so a slow
 * consumer slows the reading instead of letting records pile up). Returns the columns (trimmed, lower case)
 * and the number of rows, or why the file cannot be read as a subscriber CSV.
 */
export async function readSubscriberCsv(
  source: CsvSource,
  onRow: (row: CsvRow) => void | Promise<void>,
): Promise<CsvResult> {
  const input = open(source);
  const parser = new NumberedParser({ bom: true, skip_empty_lines: true, relax_column_count: true });
  // A file that cannot be read (it vanished, a disk error) stops the parser; it is told apart from bad CSV.
  let unreadable: unknown;
  input.on('error', (error) => {
    unreadable = error;
    parser.destroy(error);
  });
  input.pipe(parser);
  let columns: string[] | undefined;
  let index = 0;
  try {
    for await (const entry of parser as AsyncIterable<{ record: string[]; lines: number }>) {
      const { record, lines } = entry;
      if (!columns) {
        columns = record.map((name) => name.trim().toLowerCase());
        if (!columns.includes('email')) {
          return {
            ok: false,
            error: `the header row has no "email" column (found: ${columns.join(', ') || 'nothing'})`,
          };
        }
        continue;
      }
      const fields: Record<string, string> = {};
      for (let position = 0; position < columns.length; position++) {
        fields[columns[position] as string] = (record[position] ?? '').trim();
      }
      // info.lines is the line a record ends on; a quoted field may span lines, and a reader wants the start.
      // Awaited only when it returns a promise: a million needless awaits are a measurable share of a pass.
      const pending = onRow({ line: lines - lineBreaksIn(record), index, fields });
      if (pending) await pending;
      index++;
    }
  } catch (error) {
    if (unreadable !== undefined) throw new CsvUnreadableError(unreadable);
    const code = (error as NodeJS.ErrnoException).code;
    if (!code?.startsWith('CSV_')) throw error;
    return { ok: false, error: `not a readable CSV file: ${(error as Error).message}` };
  } finally {
    input.destroy();
    parser.destroy();
  }
  if (!columns) return { ok: false, error: 'the file is empty: expected a header row with an email column' };
  return { ok: true, columns, rows: index };
}
