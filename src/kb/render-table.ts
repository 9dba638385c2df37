import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import type { Ink } from './render-style.js';

/**
 * A markdown table laid out for a terminal `width` columns wide. Columns get their natural width when the table
 * fits; otherwise each column keeps at least its longest word and the rest of the room is shared in proportion
 * to what each column would still want, and cells wrap inside their column. When not even the longest words fit
 * side by side, each row becomes a block of "Header: value" lines. Nothing is cut.
 */

/** Longest word a column insists on keeping whole; longer words (URLs, ARNs) wrap inside the cell. */
const MAX_WORD = 24;

const cellLines = (cell: string) => cell.split('\n');
const widest = (lines: readonly string[]) => Math.max(0, ...lines.map((each) => stringWidth(each)));
const longestWord = (cell: string) => Math.min(MAX_WORD, Math.max(1, ...cell.split(/\s+/).map((word) => stringWidth(word))));

function columnWidths(table: readonly (readonly string[])[], room: number): number[] | undefined {
  const columns = table[0]?.length ?? 0;
  const natural = Array.from({ length: columns }, (_, c) => Math.max(1, ...table.map((row) => widest(cellLines(row[c] ?? '')))));
  if (natural.reduce((sum, each) => sum + each, 0) <= room) return natural;
  const minimum = Array.from({ length: columns }, (_, c) => Math.max(...table.map((row) => longestWord(row[c] ?? ''))));
  const least = minimum.reduce((sum, each) => sum + each, 0);
  if (least > room) return undefined;
  const wants = natural.map((each, c) => each - (minimum[c] ?? 0));
  const wanted = wants.reduce((sum, each) => sum + each, 0);
  const widths = minimum.map((each, c) => each + Math.floor(((room - least) * (wants[c] ?? 0)) / Math.max(1, wanted)));
  // Rounding down leaves a few columns of room: give them out left to right.
  let spare = room - widths.reduce((sum, each) => sum + each, 0);
  for (let c = 0; spare > 0 && c < columns; c += 1) {
    if ((widths[c] ?? 0) < (natural[c] ?? 0)) {
      widths[c] = (widths[c] ?? 0) + 1;
      spare -= 1;
    }
  }
  return widths;
}

function wrapCell(cell: string, width: number): string[] {
  return cellLines(cell).flatMap((each) => wrapAnsi(each, width, { hard: true, trim: true }).split('\n'));
}

const pad = (text: string, width: number) => `${text}${' '.repeat(Math.max(0, width - stringWidth(text)))}`;

function boxed(header: readonly string[], rows: readonly (readonly string[])[], widths: readonly number[], ink: Ink): string[] {
  const rule = (left: string, middle: string, right: string) => ink.dim(`${left}${widths.map((w) => '─'.repeat(w + 2)).join(middle)}${right}`);
  const bar = ink.dim('│');
  const physical = (cells: readonly string[], style: (text: string) => string) => {
    const wrapped = widths.map((w, c) => wrapCell(cells[c] ?? '', w));
    const height = Math.max(1, ...wrapped.map((lines) => lines.length));
    return Array.from({ length: height }, (_, row) => `${bar} ${widths.map((w, c) => pad(style(wrapped[c]?.[row] ?? ''), w)).join(` ${bar} `)} ${bar}`);
  };
  const body = rows.map((row) => physical(row, (text) => text));
  // A rule between rows only when some row takes several lines: without it, wrapped rows run together.
  const separated = body.some((lines) => lines.length > 1);
  const lines = [rule('┌', '┬', '┐'), ...physical(header, ink.bold), rule('├', '┼', '┤')];
  body.forEach((each, index) => {
    if (separated && index > 0) lines.push(rule('├', '┼', '┤'));
    lines.push(...each);
  });
  lines.push(rule('└', '┴', '┘'));
  return lines;
}

function stacked(header: readonly string[], rows: readonly (readonly string[])[], width: number, ink: Ink): string[] {
  const lines: string[] = [];
  rows.forEach((row, index) => {
    if (index > 0) lines.push(ink.dim('─'.repeat(Math.min(width, 20))));
    row.forEach((cell, c) => {
      const wrapped = wrapAnsi(`${ink.bold(`${header[c] ?? ''}:`)} ${cell.replace(/\n/g, ' ')}`, Math.max(10, width - 2), { hard: true, trim: true }).split('\n');
      wrapped.forEach((each, line) => lines.push(line === 0 ? each : `  ${each}`));
    });
  });
  return lines;
}

export function layoutTable(header: readonly string[], rows: readonly (readonly string[])[], width: number, ink: Ink): string[] {
  const overhead = 3 * header.length + 1;
  const widths = columnWidths([header, ...rows], width - overhead);
  return widths ? boxed(header, rows, widths, ink) : stacked(header, rows, width, ink);
}
