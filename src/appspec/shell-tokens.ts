/**
 * A tolerant tokenizer for the shell scripts hooks run: words (with quotes, $(…), ${…} and backticks kept
 * together), operators, redirections and here-documents. It does not execute or expand anything; it only
 * has to be right about where commands start and end and what their output is redirected to, and it never
 * throws on odd input (an unterminated quote simply runs to the end of the file).
 */

export interface Word {
  kind: 'word';
  /** The word with quotes removed (expansions such as $(…) are kept as written). */
  text: string;
  /** Whether any part was quoted ("if" in quotes is not a keyword). */
  quoted: boolean;
  line: number;
  column: number;
}

export interface Operator {
  kind: 'op';
  /** ; ;; & && || | ( ) or "\n" */
  op: string;
  line: number;
  column: number;
}

export interface Redirect {
  kind: 'redirect';
  /** 0 stdin, 1 stdout, 2 stderr, …; 'both' for &> and &>> (stdout and stderr). */
  fd: number | 'both';
  /** > >> >| < <> >& <& << <<- <<< */
  op: string;
  target: string;
  line: number;
  column: number;
}

export type Token = Word | Operator | Redirect;

const OPERATOR_CHARS = new Set([';', '&', '|', '<', '>', '(', ')']);
const REDIRECT = /^(\d*)(&>>|&>|>>|>&|>\||<<<|<<-|<<|<&|<>|>|<)/;
/** Characters with no special meaning inside a word. */
const PLAIN = /[^\s;&|<>()\\'"`$]+/y;

/* Quote-aware skipping, on the text alone: each returns the index just after what it skipped. */

function skipSingle(text: string, start: number): number {
  const end = text.indexOf("'", start + 1);
  return end < 0 ? text.length : end + 1;
}

function skipBacktick(text: string, start: number): number {
  let k = start + 1;
  while (k < text.length && text[k] !== '`') k += text[k] === '\\' ? 2 : 1;
  return k + 1;
}

/** `$(…)` or `${…}` whose opening bracket is at `start`, with nesting and quotes inside. */
function skipBalanced(text: string, start: number): number {
  const open = text[start] ?? '(';
  const close = open === '(' ? ')' : '}';
  let depth = 0;
  let k = start;
  while (k < text.length) {
    const c = text[k];
    if (c === '\\') k += 2;
    else if (c === "'") k = skipSingle(text, k);
    else if (c === '"') k = skipDouble(text, k);
    else {
      if (c === open) depth++;
      else if (c === close && --depth === 0) return k + 1;
      k++;
    }
  }
  return k;
}

function skipDouble(text: string, start: number): number {
  let k = start + 1;
  while (k < text.length && text[k] !== '"') {
    if (text[k] === '\\') k += 2;
    else if (text[k] === '$' && (text[k + 1] === '(' || text[k + 1] === '{')) k = skipBalanced(text, k + 1);
    else if (text[k] === '`') k = skipBacktick(text, k);
    else k++;
  }
  return k + 1;
}

/** Walks the text once, keeping the line and column, and emits tokens. */
class Scanner {
  readonly tokens: Token[] = [];
  private i = 0;
  private line = 1;
  private column = 1;
  private readonly pendingHeredocs: Array<{ delimiter: string; stripTabs: boolean }> = [];

  constructor(private readonly text: string) {}

  run(): Token[] {
    const { text } = this;
    while (this.i < text.length) {
      const c = text[this.i] ?? '';
      const at = { line: this.line, column: this.column };
      if (c === ' ' || c === '\t') {
        this.advance(1);
      } else if (c === '\\' && text[this.i + 1] === '\n') {
        this.advance(2);
      } else if (c === '#') {
        const end = text.indexOf('\n', this.i);
        this.advance((end < 0 ? text.length : end) - this.i);
      } else if (c === '\n') {
        this.tokens.push({ kind: 'op', op: '\n', ...at });
        this.advance(1);
        this.skipHeredocBodies();
      } else if (REDIRECT.test(text.slice(this.i, this.i + 8)) && !((c === '<' || c === '>') && text[this.i + 1] === '(')) {
        this.tokens.push(this.readRedirect(at));
      } else if (OPERATOR_CHARS.has(c)) {
        const two = text.slice(this.i, this.i + 2);
        const op = two === '&&' || two === '||' || two === ';;' ? two : two === '|&' ? '|' : c;
        this.tokens.push({ kind: 'op', op, ...at });
        this.advance(two === '|&' ? 2 : op.length);
      } else {
        this.tokens.push({ kind: 'word', ...this.readWord(), ...at });
      }
    }
    return this.tokens;
  }

  private advance(count: number): void {
    const end = Math.min(this.text.length, this.i + count);
    for (let newline = this.text.indexOf('\n', this.i); newline >= 0 && newline < end; newline = this.text.indexOf('\n', newline + 1)) {
      this.line++;
      this.column = 1;
      this.i = newline + 1;
    }
    this.column += end - this.i;
    this.i = end;
  }

  private readRedirect(at: { line: number; column: number }): Redirect {
    const [all = '', digits = '', op = '>'] = REDIRECT.exec(this.text.slice(this.i, this.i + 8)) ?? [];
    this.advance(all.length || 1);
    while (this.text[this.i] === ' ' || this.text[this.i] === '\t') this.advance(1);
    const target = this.readWord().text;
    const fd: number | 'both' = op.startsWith('&') ? 'both' : digits !== '' ? Number(digits) : op.startsWith('<') ? 0 : 1;
    const normalised = op.startsWith('&') ? op.slice(1) : op;
    if (normalised === '<<' || normalised === '<<-') this.pendingHeredocs.push({ delimiter: target, stripTabs: normalised === '<<-' });
    return { kind: 'redirect', fd, op: normalised, target, ...at };
  }

  /** One word: its unquoted text (expansions such as $(…) kept as written). */
  private readWord(): Omit<Word, 'line' | 'column' | 'kind'> {
    const { text } = this;
    let out = '';
    let quoted = false;
    while (this.i < text.length) {
      // A run of ordinary characters in one step.
      PLAIN.lastIndex = this.i;
      const plain = PLAIN.exec(text);
      if (plain !== null) {
        out += plain[0];
        this.advance(plain[0].length);
        continue;
      }
      const i = this.i;
      const c = text[i] ?? '';
      if (c === ' ' || c === '\t' || c === '\n' || OPERATOR_CHARS.has(c)) break;
      let end = i + 1;
      if (c === '\\') {
        if (text[i + 1] !== '\n') out += text[i + 1] ?? '';
        end = i + 2;
      } else if (c === "'" || c === '"') {
        end = c === "'" ? skipSingle(text, i) : skipDouble(text, i);
        out += text.slice(i + 1, end - 1);
        quoted = true;
      } else if (c === '`' || (c === '$' && (text[i + 1] === '(' || text[i + 1] === '{'))) {
        end = c === '`' ? skipBacktick(text, i) : skipBalanced(text, i + 1);
        out += text.slice(i, end);
      } else {
        out += c;
      }
      this.advance(end - i);
    }
    return { text: out, quoted };
  }

  /** After a newline, the bodies of the here-documents opened on that line. */
  private skipHeredocBodies(): void {
    for (const heredoc of this.pendingHeredocs.splice(0)) {
      while (this.i < this.text.length) {
        const lineEnd = this.text.indexOf('\n', this.i);
        const body = this.text.slice(this.i, lineEnd < 0 ? this.text.length : lineEnd);
        this.advance((lineEnd < 0 ? this.text.length : lineEnd + 1) - this.i);
        if ((heredoc.stripTabs ? body.replace(/^\t+/, '') : body) === heredoc.delimiter) break;
      }
    }
  }
}

export function tokenize(source: string): Token[] {
  return new Scanner(source.replace(/\r\n?/g, '\n')).run();
}
