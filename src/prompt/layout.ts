import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/**
 * How a question's text fits the terminal's width, as plain functions. @inquirer/core cuts every line at the
 * terminal's width wherever it falls (mid-word, or a lone "." on the next row), so cd-wizard wraps its own text
 * first, at word boundaries, and continuation lines keep the indent of the line they continue.
 */

/** The narrowest width wrapped text is laid out for; below it, the terminal wraps as it does. */
const MIN_WIDTH = 20;

/** `text` wrapped to `width` columns at word boundaries (a word longer than a line is cut), each line after `indent` spaces. */
export function wrapIndented(text: string, width: number, indent = 0): string[] {
  const pad = ' '.repeat(indent);
  const room = Math.max(MIN_WIDTH, width - indent);
  return text.split('\n').flatMap((paragraph) => wrapAnsi(paragraph, room, { hard: true, trim: true }).split('\n').map((line) => pad + line));
}

/** inquirer puts "? " (or "✔ ") before a message: the message wraps in what is left, continuation lines under its first letter. */
export function wrapMessage(message: string, width: number): string {
  const [first = '', ...rest] = wrapAnsi(message, Math.max(MIN_WIDTH, width - 2), { hard: true, trim: true }).split('\n');
  return [first, ...rest.map((line) => `  ${line}`)].join('\n');
}

/**
 * The answer after an answered question ("✔ message answer"): on the message's last line when it fits there,
 * otherwise on lines of its own, indented under the message. inquirer puts one space between the two.
 */
export function placeAnswer(wrappedMessage: string, answer: string, width: number): string {
  const lines = wrappedMessage.split('\n');
  const last = lines[lines.length - 1] ?? '';
  const used = stringWidth(last) + (lines.length === 1 ? 2 : 0) + 1;
  if (used + stringWidth(answer) <= width) return answer;
  return `\n${wrapIndented(answer, width, 2).join('\n')}`;
}

/**
 * `text` after `prefix` (a mark, a bullet), wrapped to `width` with continuation lines under the text's first
 * letter. Without a width (output that is not a terminal) the text stays on one line.
 */
export function wrapHanging(prefix: string, text: string, width: number | undefined): string[] {
  if (width === undefined) return [`${prefix}${text}`];
  const indent = stringWidth(prefix);
  const [first = '', ...rest] = wrapIndented(text, width, indent);
  return [`${prefix}${first.slice(indent)}`, ...rest];
}
