// The addresses of a subscriber CSV seen so far, each with the line it came from, to find one address given
// twice. A JavaScript Set of a million address strings holds about 70 MB of the heap, more than the built
// command may use; here the addresses sit as UTF-8 bytes in one growing buffer and an open-addressing table
// of entry numbers finds them, about 25 bytes plus 16 per address, all of it outside the garbage-collected
// heap. Exact: a hash match is confirmed byte for byte.

const EMPTY = 0; // table slots hold entry number + 1

function grown<T extends Uint8Array | Uint32Array | Float64Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  let length = array.length;
  while (length < needed) length *= 2;
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}

export class AddressSet {
  #bytes = new Uint8Array(1 << 16);
  #used = 0;
  /** Entry i's bytes are #bytes[#starts[i], #starts[i + 1]). */
  #starts = new Float64Array(1 << 12);
  #hashes = new Uint32Array(1 << 12);
  #lines = new Uint32Array(1 << 12);
  #size = 0;
  #table = new Uint32Array(1 << 13);
  readonly #encoder = new TextEncoder();

  get size(): number {
    return this.#size;
  }

  /**
   * Adds `key` seen on `line`. Returns undefined when it is new, or the line it was first added from (the
   * set is then unchanged).
   */
  add(key: string, line: number): number | undefined {
    // A UTF-8 character takes at most 3 bytes per UTF-16 code unit.
    this.#bytes = grown(this.#bytes, this.#used + key.length * 3);
    const start = this.#used;
    const end = start + this.#encoder.encodeInto(key, this.#bytes.subarray(start)).written;
    const hash = fnv1a(this.#bytes, start, end);
    const mask = this.#table.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#table[slot] ?? EMPTY;
      if (entry === EMPTY) {
        this.#append(slot, hash, start, end, line);
        return undefined;
      }
      if (this.#hashes[entry - 1] === hash && this.#equals(entry - 1, start, end)) {
        return this.#lines[entry - 1];
      }
    }
  }

  #equals(entry: number, start: number, end: number): boolean {
    const otherStart = this.#starts[entry] ?? 0;
    const otherEnd = this.#starts[entry + 1] ?? 0;
    if (otherEnd - otherStart !== end - start) return false;
    for (let i = 0; i < end - start; i++) {
      if (this.#bytes[otherStart + i] !== this.#bytes[start + i]) return false;
    }
    return true;
  }

  #append(slot: number, hash: number, start: number, end: number, line: number): void {
    const entry = this.#size;
    this.#starts = grown(this.#starts, entry + 2);
    this.#hashes = grown(this.#hashes, entry + 1);
    this.#lines = grown(this.#lines, entry + 1);
    this.#starts[entry] = start;
    this.#starts[entry + 1] = end;
    this.#hashes[entry] = hash;
    this.#lines[entry] = line;
    this.#used = end;
    this.#size = entry + 1;
    this.#table[slot] = entry + 1;
    // At most half full, so a probe meets an empty slot within a few steps.
    if (this.#size * 2 > this.#table.length) this.#rehash();
  }

  #rehash(): void {
    const table = new Uint32Array(this.#table.length * 2);
    const mask = table.length - 1;
    for (let entry = 0; entry < this.#size; entry++) {
      let slot = (this.#hashes[entry] ?? 0) & mask;
      while (table[slot] !== EMPTY) slot = (slot + 1) & mask;
      table[slot] = entry + 1;
    }
    this.#table = table;
  }
}

/** 32-bit FNV-1a: a few operations per byte, and spreads the short, similar keys of a mailing list well. */
function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    hash ^= bytes[i] ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
