/** "1 comparison", "3 comparisons": counts in output read as sentences. Regular plurals only. */
export function count(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}
