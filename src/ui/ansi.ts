/**
 * Small ANSI string helpers for the pager: strip styling, find text, and highlight ranges of visible
 * characters inside an already-styled line without losing its styling.
 */

// SGR and other CSI sequences, OSC sequences (hyperlinks) ended by BEL or ST, and two-byte escapes.
const ESCAPE = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ESCAPE, '');
}

export interface TextRange {
  start: number;
  end: number;
}

/** Every case-insensitive occurrence of `needle` in `text`, as [start, end) offsets; none for an empty needle. */
export function findRanges(text: string, needle: string): TextRange[] {
  if (needle === '') return [];
  const haystack = text.toLowerCase();
  const lower = needle.toLowerCase();
  const ranges: TextRange[] = [];
  for (let at = haystack.indexOf(lower); at >= 0; at = haystack.indexOf(lower, at + lower.length)) {
    ranges.push({ start: at, end: at + lower.length });
  }
  return ranges;
}

export interface HighlightRange extends TextRange {
  /** Escape sequence that starts the highlight (for example inverse video "\u001b[7m"). */
  open: string;
}

const RESET = /^\u001b\[0?m$/;
const SGR = /^\u001b\[[0-9;]*m$/;

/**
 * Inserts highlight escapes around ranges of visible characters (offsets into stripAnsi(line)).
 * Inside a range, any styling the line itself changes is followed by the highlight again; after a range,
 * the line's own styling is restored, so colours before and after a match survive.
 */
export function highlightRanges(line: string, ranges: readonly HighlightRange[]): string {
  if (ranges.length === 0) return line;
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const tokens = line.split(new RegExp(`(${ESCAPE.source})`, 'g'));
  let out = '';
  let visible = 0;
  let active: string[] = [];
  let current: HighlightRange | undefined;
  let next = 0;
  const close = () => {
    out += `\u001b[0m${active.join('')}`;
    current = undefined;
  };
  for (const [index, token] of tokens.entries()) {
    if (token === '') continue;
    if (current && visible >= current.end) close();
    if (index % 2 === 1) {
      out += token;
      if (RESET.test(token)) active = [];
      else if (SGR.test(token)) active.push(token);
      if (current && SGR.test(token)) out += current.open;
      continue;
    }
    for (const ch of token) {
      if (current && visible >= current.end) close();
      const range = sorted[next];
      if (!current && range && visible >= range.start) {
        current = range;
        next += 1;
        out += range.open;
      }
      out += ch;
      visible += ch.length;
    }
  }
  if (current) close();
  return out;
}

export interface MarkedSegment {
  text: string;
  marked: boolean;
}

/** Splits plain text into runs, marking every case-insensitive occurrence of any term (for result snippets). */
export function markTerms(text: string, terms: readonly string[]): MarkedSegment[] {
  const flags = new Array<boolean>(text.length).fill(false);
  for (const term of terms) {
    for (const range of findRanges(text, term)) flags.fill(true, range.start, range.end);
  }
  const segments: MarkedSegment[] = [];
  for (let start = 0; start < text.length; ) {
    const marked = flags[start] ?? false;
    let end = start + 1;
    while (end < text.length && (flags[end] ?? false) === marked) end += 1;
    segments.push({ text: text.slice(start, end), marked });
    start = end;
  }
  return segments;
}
