/**
 * Plain text laid out for a width without ever cutting a word: prose (the first line with one prefix, the rest
 * with another) and shell commands (broken between words with ` \` continuations, so they still paste as one).
 * Styled text uses wrap-ansi instead (articles and tables in src/kb/render.ts, questions in src/prompt/layout.ts);
 * messages, reports and fix steps use these.
 */

/** Word-wraps `text`; the first line starts with `indent`, the others with `hanging` (for numbered steps). */
export function wrap(text: string, width: number, indent: string, hanging = indent): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let line = '';
  const prefix = () => (lines.length === 0 ? indent : hanging);
  for (const word of words) {
    if (line !== '' && prefix().length + line.length + 1 + word.length > width) {
      lines.push(prefix() + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(prefix() + line);
  return lines.join('\n');
}

/** Shell words of a command: split at spaces outside quotes, so a quoted argument is one word whatever it holds. */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  for (const char of command) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      word += char;
    } else if (char === ' ') {
      if (word !== '') words.push(word);
      word = '';
    } else {
      if (char === "'" || char === '"' || char === '`') quote = char;
      word += char;
    }
  }
  if (word !== '') words.push(word);
  return words;
}

/** Commands run by Windows shells, where a trailing backslash does not continue the line. */
const WINDOWS_SHELL = /^(powershell(\.exe)?|pwsh|cmd(\.exe)?)\s|[A-Za-z]:\\/i;
const OPERATOR = /^(&&|\|\||\||;)$/;

/**
 * A command laid out for `width` columns without ever cutting a word: one line when it fits; otherwise broken at
 * spaces between words (an option stays with its value), every line but the last ending in ` \` and the next one
 * indented two more, so the lines still paste into a POSIX shell as one command. A word longer than the room stays
 * whole on its own line, and a Windows command stays on one line (its shells do not continue a line after `\`).
 */
export function wrapCommand(command: string, width: number, indent: string): string[] {
  const text = command.trim();
  if (indent.length + text.length <= width || WINDOWS_SHELL.test(text)) return [`${indent}${text}`];
  const words = shellWords(text);
  // Units that stay together: `--flag value`.
  const units: string[][] = [];
  for (let at = 0; at < words.length; at += 1) {
    const word = words[at] ?? '';
    const next = words[at + 1];
    if (word.startsWith('-') && next !== undefined && !next.startsWith('-') && !OPERATOR.test(next)) {
      units.push([word, next]);
      at += 1;
    } else units.push([word]);
  }
  const more = `${indent}  `;
  const lines: string[] = [];
  let line = '';
  const room = () => width - (lines.length === 0 ? indent : more).length - ' \\'.length;
  const place = (piece: string) => {
    if (line !== '' && line.length + 1 + piece.length > room()) {
      lines.push(line);
      line = piece;
    } else line = line === '' ? piece : `${line} ${piece}`;
  };
  for (const unit of units) {
    const joined = unit.join(' ');
    // A pair too long for any line is placed word by word.
    if (unit.length > 1 && joined.length > width - more.length - 2) unit.forEach(place);
    else place(joined);
  }
  lines.push(line);
  return lines.map((each, index) => `${index === 0 ? indent : more}${each}${index < lines.length - 1 ? ' \\' : ''}`);
}
