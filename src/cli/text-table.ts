// Columns a person can read at the terminal: headings over cells, each column as wide as its widest cell.

export type Alignment = 'left' | 'right';

/**
 * The lines of a table: the headings, then one line per row, columns two spaces apart, trailing spaces
 * trimmed. `align` says how each column lines up (default: the first left, figures after it right).
 */
export function table(
  headings: readonly string[],
  rows: readonly (readonly string[])[],
  align: (column: number) => Alignment = (column) => (column === 0 ? 'left' : 'right'),
): string[] {
  const widths = headings.map((heading, column) =>
    Math.max(heading.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        align(column) === 'left' ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(headings), ...rows.map(line)];
}
