// Reads a subscriber CSV with a real parser (quoted fields, BOM, CRLF) and keeps each row's line number.
import { parse } from 'csv-parse/sync';

export interface CsvRow {
  /** 1-based line of the file where the record starts (the header is line 1). */
  readonly line: number;
  readonly fields: Readonly<Record<string, string>>;
}

export type CsvResult =
  | { readonly ok: true; readonly columns: string[]; readonly rows: CsvRow[] }
  | { readonly ok: false; readonly error: string };

// csv-parse's line counter advances on every CR and every LF inside a quoted field (so a quoted CRLF counts
// twice); count them the same way to step back from the record's last line to its first.
function lineBreaksIn(record: readonly string[]): number {
  return record.reduce((count, field) => count + (field.match(/[\r\n]/g)?.length ?? 0), 0);
}

export function parseSubscriberCsv(text: string): CsvResult {
  let records: string[][];
  let lines: number[];
  try {
    const parsed = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    records = parsed.map((entry) => entry.record);
    // info.lines is the line a record ends on; a quoted field may span lines, and a reader wants the start.
    lines = parsed.map((entry) => entry.info.lines - lineBreaksIn(entry.record));
  } catch (error) {
    return { ok: false, error: `not a readable CSV file: ${(error as Error).message}` };
  }
  const [header, ...body] = records;
  if (!header) return { ok: false, error: 'the file is empty: expected a header row with an email column' };
  const columns = header.map((name) => name.trim().toLowerCase());
  if (!columns.includes('email')) {
    return {
      ok: false,
      error: `the header row has no "email" column (found: ${columns.join(', ') || 'nothing'})`,
    };
  }
  const rows = body.map((record, index) => ({
    line: lines[index + 1] ?? 0,
    fields: Object.fromEntries(columns.map((column, position) => [column, (record[position] ?? '').trim()])),
  }));
  return { ok: true, columns, rows };
}
