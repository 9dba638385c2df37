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

export function tokenize(source: string): Token[] {
  const text = source.replace(/\r\n?/g, '\n');
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let column = 1;
  const pendingHeredocs: Array<{ delimiter: string; stripTabs: boolean }> = [];

  const advance = (count: number) => {
    const end = Math.min(text.length, i + count);
    for (let newline = text.indexOf('\n', i); newline >= 0 && newline < end; newline = text.indexOf('\n', newline + 1)) {
      line++;
      column = 1;
      i = newline + 1;
    }
    column += end - i;
    i = end;
  };

  /** Skips a balanced $(…) / ${…} starting at `open`, respecting quotes; returns the index after the closer. */
  const skipBalanced = (start: number, open: string, close: string): number => {
    let depth = 0;
    let k = start;
    while (k < text.length) {
      const c = text[k];
      if (c === '\\') k += 2;
      else if (c === "'") k = skipSingle(k);
      else if (c === '"') k = skipDouble(k);
      else {
        if (c === open) depth++;
        else if (c === close && --depth === 0) return k + 1;
        k++;
      }
    }
    return k;
  };
  const skipSingle = (start: number): number => {
    const end = text.indexOf("'", start + 1);
    return end < 0 ? text.length : end + 1;
  };
  const skipDouble = (start: number): number => {
    let k = start + 1;
    while (k < text.length && text[k] !== '"') {
      if (text[k] === '\\') k += 2;
      else if (text[k] === '$' && (text[k + 1] === '(' || text[k + 1] === '{')) k = skipBalanced(k + 1, text[k + 1] ?? '(', text[k + 1] === '(' ? ')' : '}');
      else if (text[k] === '`') k = skipBacktick(k);
      else k++;
    }
    return k + 1;
  };
  const skipBacktick = (start: number): number => {
    let k = start + 1;
    while (k < text.length && text[k] !== '`') k += text[k] === '\\' ? 2 : 1;
    return k + 1;
  };

  /** Reads one word at i; returns its unquoted text. */
  const readWord = (): Omit<Word, 'line' | 'column' | 'kind'> => {
    let out = '';
    let quoted = false;
    while (i < text.length) {
      // A run of ordinary characters in one step.
      PLAIN.lastIndex = i;
      const plain = PLAIN.exec(text);
      if (plain !== null) {
        out += plain[0];
        advance(plain[0].length);
        continue;
      }
      const c = text[i] ?? '';
      if (c === ' ' || c === '\t' || c === '\n' || OPERATOR_CHARS.has(c)) {
        // `$(` and `<(`/`>(` process substitutions are handled below; a bare operator ends the word.
        break;
      }
      let end: number;
      if (c === '\\') {
        if (text[i + 1] === '\n') {
          advance(2);
          continue;
        }
        out += text[i + 1] ?? '';
        advance(2);
        continue;
      } else if (c === "'") {
        end = skipSingle(i);
        out += text.slice(i + 1, end - 1);
        quoted = true;
      } else if (c === '"') {
        end = skipDouble(i);
        out += text.slice(i + 1, end - 1);
        quoted = true;
      } else if (c === '`') {
        end = skipBacktick(i);
        out += text.slice(i, end);
      } else if (c === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) {
        end = skipBalanced(i + 1, text[i + 1] ?? '(', text[i + 1] === '(' ? ')' : '}');
        out += text.slice(i, end);
      } else {
        end = i + 1;
        out += c;
      }
      advance(end - i);
    }
    return { text: out, quoted };
  };

  const skipHeredocBodies = () => {
    for (const heredoc of pendingHeredocs.splice(0)) {
      while (i < text.length) {
        const lineEnd = text.indexOf('\n', i);
        const body = text.slice(i, lineEnd < 0 ? text.length : lineEnd);
        advance((lineEnd < 0 ? text.length : lineEnd + 1) - i);
        if ((heredoc.stripTabs ? body.replace(/^\t+/, '') : body) === heredoc.delimiter) break;
      }
    }
  };

  while (i < text.length) {
    const c = text[i] ?? '';
    const at = { line, column };
    if (c === ' ' || c === '\t') {
      advance(1);
    } else if (c === '\\' && text[i + 1] === '\n') {
      advance(2);
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') advance(1);
    } else if (c === '\n') {
      tokens.push({ kind: 'op', op: '\n', ...at });
      advance(1);
      skipHeredocBodies();
    } else if (REDIRECT.test(text.slice(i, i + 8)) && (c !== '<' || text[i + 1] !== '(') && (c !== '>' || text[i + 1] !== '(')) {
      const match = REDIRECT.exec(text.slice(i, i + 8));
      const [all, digits = '', op = '>'] = match ?? [];
      advance(all?.length ?? 1);
      while (text[i] === ' ' || text[i] === '\t') advance(1);
      const target = readWord().text;
      const fd: number | 'both' = op.startsWith('&') ? 'both' : digits !== '' ? Number(digits) : op.startsWith('<') ? 0 : 1;
      const normalised = op.startsWith('&') ? op.slice(1) : op;
      tokens.push({ kind: 'redirect', fd, op: normalised, target, ...at });
      if (normalised === '<<' || normalised === '<<-') pendingHeredocs.push({ delimiter: target, stripTabs: normalised === '<<-' });
    } else if (OPERATOR_CHARS.has(c)) {
      const two = text.slice(i, i + 2);
      const op = two === '&&' || two === '||' || two === ';;' ? two : two === '|&' ? '|' : c;
      tokens.push({ kind: 'op', op, ...at });
      advance(two === '|&' ? 2 : op.length);
    } else {
      tokens.push({ kind: 'word', ...readWord(), ...at });
    }
  }
  return tokens;
}
