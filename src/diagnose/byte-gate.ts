/**
 * The byte gate: finds, in raw UTF-8 bytes, the lines that contain any of a set of ASCII words (ignoring ASCII
 * case), or any byte that is not ASCII. It is an Aho-Corasick automaton compiled to a dense transition table
 * over a small alphabet, so a file is scanned once, one table lookup per byte, without decoding it to a
 * string: the lines nobody needs (an agent log's polling noise) are never decoded at all.
 *
 * It agrees with the regex gate (`new RegExp(words, 'gi')`) on every ASCII line, because JavaScript's
 * case-insensitive matching without the `u` flag folds only ASCII letters onto ASCII letters; lines with other
 * bytes are always reported, so the per-line matching decides them.
 */

export interface ByteGate {
  /**
   * Transition table indexed by row + byte, where row = state * 256: the next state's row, or -1 when a word
   * ends there (or a non-ASCII byte was seen). One lookup per byte, no arithmetic in the loop.
   */
  table: Int32Array;
}

/** A gate for `words` (ASCII; others are covered by the non-ASCII trigger), or undefined if it would be too big. */
export function buildByteGate(words: readonly string[]): ByteGate | undefined {
  const ascii = [...new Set(words.filter((word) => word.length > 0 && /^[\x00-\x7f]+$/.test(word)).map((word) => word.toLowerCase()))];
  // Alphabet: each byte used in a word gets a class (upper-case letters share their lower-case class);
  // class 0 is every other ASCII byte, the last class is any non-ASCII byte.
  const classOf = new Uint8Array(256);
  let classes = 1;
  for (const word of ascii) {
    for (const char of word) {
      const code = char.charCodeAt(0);
      if (classOf[code] === 0) {
        classOf[code] = classes;
        if (code >= 97 && code <= 122) classOf[code - 32] = classes;
        classes += 1;
      }
    }
  }
  const nonAscii = classes;
  classes += 1;
  for (let byte = 128; byte < 256; byte += 1) classOf[byte] = nonAscii;
  // Trie.
  const goto: Array<Map<number, number>> = [new Map()];
  const accept: number[] = [0];
  for (const word of ascii) {
    let state = 0;
    for (const char of word) {
      const cls = classOf[char.charCodeAt(0)] as number;
      let next = goto[state]?.get(cls);
      if (next === undefined) {
        next = goto.length;
        goto.push(new Map());
        accept.push(0);
        goto[state]?.set(cls, next);
      }
      state = next;
    }
    accept[state] = 1;
  }
  const sink = goto.length;
  goto.push(new Map());
  accept.push(1);
  if (goto.length >= 8192) return undefined;
  // Breadth-first failure links, filled into a dense table.
  const width = classes;
  const delta = new Uint16Array(goto.length * width);
  const fail = new Array<number>(goto.length).fill(0);
  const queue: number[] = [];
  for (let cls = 0; cls < width; cls += 1) {
    const next = cls === nonAscii ? sink : goto[0]?.get(cls);
    delta[cls] = next ?? 0;
    if (next !== undefined && next !== sink) queue.push(next);
  }
  for (let head = 0; head < queue.length; head += 1) {
    const state = queue[head] as number;
    if (accept[fail[state] as number]) accept[state] = 1;
    for (let cls = 0; cls < width; cls += 1) {
      const next = cls === nonAscii ? sink : goto[state]?.get(cls);
      if (next !== undefined && next !== sink) {
        fail[next] = delta[(fail[state] as number) * width + cls] as number;
        delta[state * width + cls] = next;
        queue.push(next);
      } else {
        delta[state * width + cls] = cls === nonAscii ? sink : (delta[(fail[state] as number) * width + cls] as number);
      }
    }
  }
  for (let cls = 0; cls < width; cls += 1) delta[sink * width + cls] = sink;
  // Expand to 256 columns of row offsets; accepting targets become -1.
  const states = goto.length;
  const table = new Int32Array(states * 256);
  for (let state = 0; state < states; state += 1) {
    for (let byte = 0; byte < 256; byte += 1) {
      const next = delta[state * width + (classOf[byte] as number)] as number;
      table[state * 256 + byte] = byte === 10 ? NEWLINE : accept[next] ? HIT : next * 256;
    }
  }
  return { table };
}

/** Table values: a word (or a non-ASCII byte) was found; the line ended. */
export const HIT = -1;
export const NEWLINE = -2;

/**
 * Calls `line(start, end, hit)` for each line of bytes[from, stop) (`stop` is the last newline or the end of
 * unterminated data); `hit` says whether the line holds a gate word or a non-ASCII byte. The rest of a line is
 * skipped at the first hit. When `line` returns false the scan stops; the result is where the next line starts
 * (or -1 when every line was seen).
 */
export function scanLines(gate: ByteGate, bytes: Uint8Array, from: number, stop: number, line: (start: number, end: number, hit: boolean) => boolean): number {
  const table = gate.table;
  let i = from;
  for (;;) {
    const start = i;
    let row = 0;
    let end = stop;
    let hit = false;
    while (i < stop) {
      row = table[row + (bytes[i] as number)] as number;
      if (row < 0) {
        if (row === NEWLINE) end = i;
        else {
          hit = true;
          end = bytes.indexOf(10, i);
          if (end < 0 || end > stop) end = stop;
        }
        break;
      }
      i += 1;
    }
    const more = line(start, end, hit);
    if (end >= stop) return -1;
    i = end + 1;
    if (!more) return i;
  }
}
