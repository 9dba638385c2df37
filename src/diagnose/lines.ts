/**
 * Turns messy pasted text into logical lines a rule can match: physical lines hard-wrapped at a terminal width
 * are joined back, ANSI colours and terminal escape sequences are stripped, and JSON escaping (the agent log
 * quotes diagnostics payloads as escaped JSON, sometimes escaped twice) is undone.
 *
 * Everything here runs in time linear in the input: hand-written scans where a regular expression could
 * backtrack (a run of backslashes used to make the unescaping quadratic).
 */

export interface LogicalLine {
  /** 1-based number of the first physical line. */
  lineNumber: number;
  /** How many physical lines were joined into this one. */
  physicalLines: number;
  /** The text to match and to quote: unwrapped and unescaped, not yet redacted. */
  text: string;
  /** The end of the physical line before it and the start of the one after it (raw): a secret may straddle them. */
  before: string;
  after: string;
}

/** Lines this long are cut before matching, so one pathological line cannot stall the regex engine. */
export const MAX_LINE_LENGTH = 64 * 1024;
/** How much of the neighbouring lines is kept for masking secrets split across lines. */
const NEIGHBOUR = 256;

// Widths at which terminals, pagers and blog editors hard-wrap pasted output.
export const WRAP_WIDTHS: ReadonlySet<number> = new Set([79, 80, 100, 120, 132, 160, 200]);
// A line that starts like a new record is never a continuation of the previous one (a log tail's `[stdout]` and
// `[stderr]` lines included: a script's output line that happens to be 100 characters long is not wrapped).
const RECORD_START = /^(?:\d{4}-\d{2}-\d{2}|[A-Z], \[|\[\d|\[std(?:out|err)\]|\s*$|[A-Z]{3,9}\s|#|\{|\s*-{3,})/;
// CSI (colours, cursor moves), OSC (window titles, hyperlinks; ended by BEL or ESC \) and two-character escapes.
// Each alternative starts at an ESC and its repetitions stop at the next one, so the scan stays linear.
const TERMINAL_ESCAPES = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]/g;

/** Undoes JSON escaping in one pass: `\"`, `\\\"` … → `"`, `\/` → `/`, and escaped line breaks → a space. */
function unescapeJson(text: string): string {
  // Pass 1: collapse escaped quotes and slashes; remember the runs that end in n, r or t.
  let out = '';
  let segmentStart = 0;
  const breaks: number[] = []; // [start, end) pairs in `out` of runs like \\n
  let firstQuote = -1;
  let i = 0;
  const length = text.length;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (code === 34 /* " */ && firstQuote < 0) firstQuote = out.length + (i - segmentStart);
    if (code !== 92 /* \ */) {
      i += 1;
      continue;
    }
    let end = i;
    while (end < length && text.charCodeAt(end) === 92) end += 1;
    const next = text[end];
    if (next === '"' || next === '/') {
      out += text.slice(segmentStart, i) + next;
      if (next === '"' && firstQuote < 0) firstQuote = out.length - 1;
      segmentStart = end + 1;
      i = end + 1;
    } else if (next === 'n' || next === 'r' || next === 't') {
      out += text.slice(segmentStart, i);
      breaks.push(out.length);
      out += text.slice(i, end + 1);
      breaks.push(out.length);
      segmentStart = end + 1;
      i = end + 1;
    } else {
      i = end;
    }
  }
  out += text.slice(segmentStart);
  if (breaks.length === 0) return out;
  // Escaped line breaks read as spaces only where the line is escaped JSON (a quote before one, or a quote
  // right after one), so Windows paths such as C:\new\tools keep their backslashes.
  let escapedJson = firstQuote >= 0 && firstQuote < (breaks[breaks.length - 2] as number);
  for (let b = 1; !escapedJson && b < breaks.length; b += 2) {
    let k = breaks[b] as number;
    while (k < out.length && (out[k] === ' ' || out[k] === '\t')) k += 1;
    if (out[k] === '"') escapedJson = true;
  }
  if (!escapedJson) return out;
  let result = '';
  let from = 0;
  for (let b = 0; b < breaks.length; b += 2) {
    result += `${out.slice(from, breaks[b])} `;
    from = breaks[b + 1] as number;
  }
  return result + out.slice(from);
}

export function cleanLine(raw: string): string {
  let text = raw.includes('\u001b') ? raw.replace(TERMINAL_ESCAPES, '') : raw;
  if (text.length > MAX_LINE_LENGTH) text = text.slice(0, MAX_LINE_LENGTH);
  if (text.includes('\\')) text = unescapeJson(text);
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

const tail = (text: string) => (text.length > NEIGHBOUR ? text.slice(-NEIGHBOUR) : text);
const head = (text: string) => (text.length > NEIGHBOUR ? text.slice(0, NEIGHBOUR) : text);

/**
 * Physical lines in, logical lines out (to `emit`). Keeps at most one pending line in memory. The diagnoser
 * splits the input itself (it skips lines no rule can match without cleaning them) and feeds the rest here;
 * `skip` tells it about a line it did not need, which ends a pending wrapped line.
 */
export class LineReader {
  private physicalLine = 0;
  private pending: LogicalLine | undefined;
  private pendingRawLength = 0;
  private lastRaw = '';

  constructor(private readonly emit: (line: LogicalLine) => void) {}

  /** Number of physical lines seen so far. */
  get lines(): number {
    return this.physicalLine;
  }

  get hasPending(): boolean {
    return this.pending !== undefined;
  }

  /** Convenience for whole strings: splits on newlines (a trailing partial line counts as a line). */
  pushText(text: string): void {
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline < 0) break;
      this.physical(text.slice(start, newline));
      start = newline + 1;
    }
    if (start < text.length) this.physical(text.slice(start));
  }

  /** A physical line (without its newline) that may match something. */
  physical(raw: string, previousRaw?: string): void {
    this.physicalLine += 1;
    const rawLength = raw.endsWith('\r') ? raw.length - 1 : raw.length;
    const text = cleanLine(raw);
    if (this.pending && WRAP_WIDTHS.has(this.pendingRawLength) && !RECORD_START.test(raw) && this.pending.text.length < MAX_LINE_LENGTH) {
      // Hard wrap: the break fell inside a word or ate a space; join without inserting anything
      // (rules match spaces optionally, so a lost space does not matter).
      this.pending.text += text;
      this.pending.physicalLines += 1;
      this.pendingRawLength = rawLength;
      this.lastRaw = raw;
      return;
    }
    this.flush(raw);
    this.pending = { lineNumber: this.physicalLine, physicalLines: 1, text, before: tail(previousRaw ?? this.lastRaw), after: '' };
    this.pendingRawLength = rawLength;
    this.lastRaw = raw;
  }

  /** A physical line nobody needs to match. `raw` is only read when a logical line is pending (as its `after`). */
  skip(raw: () => string): void {
    this.physicalLine += 1;
    if (this.pending) {
      const text = raw();
      this.flush(text);
      this.lastRaw = text;
    } else {
      this.lastRaw = '';
    }
  }

  end(): void {
    this.flush('');
  }

  private flush(nextRaw: string): void {
    if (this.pending) {
      this.pending.after = head(nextRaw);
      this.emit(this.pending);
    }
    this.pending = undefined;
  }
}
