/**
 * Turns messy pasted text into logical lines a rule can match: streamed chunks are split into lines,
 * lines hard-wrapped at a terminal width are joined back, ANSI colours are stripped, and JSON escaping
 * (the agent log quotes diagnostics payloads as escaped JSON, sometimes escaped twice) is undone.
 */

export interface LogicalLine {
  /** 1-based number of the first physical line. */
  lineNumber: number;
  /** The text to match and to quote: unwrapped and unescaped, not yet redacted. */
  text: string;
}

/** Lines this long are cut before matching, so one pathological line cannot stall the regex engine. */
export const MAX_LINE_LENGTH = 64 * 1024;

// Widths at which terminals, pagers and blog editors hard-wrap pasted output.
const WRAP_WIDTHS = new Set([79, 80, 100, 120, 132, 160, 200]);
// A line that starts like a new record is never a continuation of the previous one.
const RECORD_START = /^(?:\d{4}-\d{2}-\d{2}|[A-Z], \[|\[\d|\s*$|[A-Z]{3,9}\s|#|\{|\s*-{3,})/;
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export function cleanLine(raw: string): string {
  let text = raw.replace(ANSI, '');
  if (text.length > MAX_LINE_LENGTH) text = text.slice(0, MAX_LINE_LENGTH);
  if (text.includes('\\')) {
    // Collapse any depth of escaped quotes (\" or \\\" …) to a plain quote; the same for slashes.
    text = text.replace(/\\+"/g, '"').replace(/\\+\//g, '/');
    // Escaped line breaks inside a quoted payload read as spaces. Only where the line is escaped JSON,
    // so Windows paths such as C:\new\tools keep their backslashes.
    if (/"[^"]*\\+[nrt]/.test(text) || /\\+[nrt]\s*"/.test(text)) text = text.replace(/\\+[nrt]/g, ' ');
  }
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/** Streams chunks in, calls `emit` with each logical line. Keeps at most one pending line in memory. */
export class LineReader {
  private partial = '';
  private physicalLine = 0;
  private pending: LogicalLine | undefined;
  private pendingRawLength = 0;

  constructor(private readonly emit: (line: LogicalLine) => void) {}

  push(chunk: string): void {
    const data = this.partial + chunk;
    let start = 0;
    for (;;) {
      const newline = data.indexOf('\n', start);
      if (newline < 0) break;
      this.physical(data.slice(start, newline));
      start = newline + 1;
    }
    this.partial = data.slice(start);
    // A file with no newlines at all must not grow without bound.
    if (this.partial.length > MAX_LINE_LENGTH * 2) {
      this.physical(this.partial);
      this.partial = '';
    }
  }

  end(): void {
    if (this.partial !== '') this.physical(this.partial);
    this.partial = '';
    this.flush();
  }

  private physical(raw: string): void {
    this.physicalLine += 1;
    const rawLength = raw.endsWith('\r') ? raw.length - 1 : raw.length;
    const text = cleanLine(raw);
    if (this.pending && WRAP_WIDTHS.has(this.pendingRawLength) && !RECORD_START.test(raw) && this.pending.text.length < MAX_LINE_LENGTH) {
      // Hard wrap: the break fell inside a word or ate a space; join without inserting anything
      // (rules match spaces optionally, so a lost space does not matter).
      this.pending.text += text;
      this.pendingRawLength = rawLength;
      return;
    }
    this.flush();
    this.pending = { lineNumber: this.physicalLine, text };
    this.pendingRawLength = rawLength;
  }

  private flush(): void {
    if (this.pending) this.emit(this.pending);
    this.pending = undefined;
  }
}
