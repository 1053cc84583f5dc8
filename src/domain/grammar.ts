// Counts in words that read right: "1 comparison", "3 comparisons", never "comparison(s)".

/** `count` followed by the noun in the number it takes: countOf(1, 'reader') is "1 reader". */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
