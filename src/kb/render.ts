import { Lexer, type Token, type Tokens } from 'marked';
import wrapAnsi from 'wrap-ansi';
import { layoutTable } from './render-table.js';
import { createInk, decodeEntities, type Ink } from './render-style.js';
import type { Article } from './types.js';

/**
 * Renders an article's markdown for a terminal of a given width: prose and list items wrap (with hanging
 * indents), inline markdown (bold, italics, code, links) is rendered everywhere, tables are laid out to fit
 * (cells wrap; a table too wide for its columns becomes one block per row), and a code line longer than the
 * width continues on the next row behind a visible ↪ marker instead of being cut. marked only parses; the layout
 * is ours. Loaded lazily, only when an article is shown on a terminal.
 */
export interface RenderOptions {
  width: number;
  color: boolean;
}

/** Rows that continue a code line wider than the terminal start with this marker (in the code's indent). */
export const CODE_CONTINUATION = '↪ ';
const CODE_INDENT = '  ';
const BULLETS = ['•', '◦', '▪'];

interface Context {
  ink: Ink;
  width: number;
}

function inline(tokens: readonly Token[] | undefined, ink: Ink): string {
  if (!tokens) return '';
  return tokens.map((token) => inlineToken(token, ink)).join('');
}

function inlineToken(token: Token, ink: Ink): string {
  switch (token.type) {
    case 'strong':
      return ink.bold(inline(token.tokens, ink));
    case 'em':
      return ink.italic(inline(token.tokens, ink));
    case 'del':
      return ink.strike(inline(token.tokens, ink));
    case 'codespan':
      return ink.code(softBreaks(decodeEntities(token.text)));
    case 'br':
      return '\n';
    case 'link': {
      const text = inline(token.tokens, ink);
      const href = (token as Tokens.Link).href;
      return href === token.text || href === `mailto:${token.text}` ? ink.link(text) : `${ink.link(text)} ${ink.dim(`(${href})`)}`;
    }
    case 'image':
      return ink.dim(`[image: ${token.text}]`);
    case 'escape':
    case 'html':
      return token.text;
    case 'text':
      return 'tokens' in token && token.tokens ? inline(token.tokens, ink) : softBreaks(decodeEntities(token.text));
    default:
      return 'text' in token && typeof token.text === 'string' ? softBreaks(decodeEntities(token.text)) : '';
  }
}

/** A line break inside a paragraph's source is a space; only a hard break (two spaces, a backslash) breaks. */
function softBreaks(text: string): string {
  return text.replace(/[ \t]*\n[ \t]*/g, ' ');
}

/** Styled text wrapped to `width`, every line after the first indented like the first ("hanging" indent). */
function wrap(text: string, width: number, firstPrefix = '', restPrefix = firstPrefix): string[] {
  const room = Math.max(10, width - Math.max(visibleLength(firstPrefix), visibleLength(restPrefix)));
  return wrapAnsi(text, room, { hard: true, trim: true })
    .split('\n')
    .map((each, index) => `${index === 0 ? firstPrefix : restPrefix}${each}`);
}

function visibleLength(text: string): number {
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

/** A code block's lines, each cut into rows of the width; the rows after the first start with the marker. */
function codeBlock(code: string, context: Context): string[] {
  const room = Math.max(10, context.width - CODE_INDENT.length);
  const rows: string[] = [];
  for (const source of code.replace(/\t/g, '    ').split('\n')) {
    const chars = [...source];
    if (chars.length <= room) {
      rows.push(`${CODE_INDENT}${context.ink.code(source)}`);
      continue;
    }
    for (let at = 0; at < chars.length; at += room) {
      const piece = chars.slice(at, at + room).join('');
      rows.push(`${at === 0 ? CODE_INDENT : context.ink.dim(CODE_CONTINUATION)}${context.ink.code(piece)}`);
    }
  }
  return rows;
}

function list(token: Tokens.List, context: Context, depth: number): string[] {
  const start = typeof token.start === 'number' ? token.start : 1;
  const numberWidth = `${start + token.items.length - 1}.`.length;
  const lines: string[] = [];
  token.items.forEach((item, index) => {
    const marker = token.ordered ? `${start + index}.`.padStart(numberWidth) : (BULLETS[depth % BULLETS.length] ?? '•');
    const bullet = `${marker} `;
    const indent = ' '.repeat(bullet.length);
    const body = blocks(item.tokens, { ...context, width: context.width - bullet.length }, depth + 1);
    if (token.loose && index > 0) lines.push('');
    body.forEach((each, row) => lines.push(`${row === 0 ? context.ink.dim(bullet) : indent}${each}`));
  });
  return lines;
}

function heading(token: Tokens.Heading, context: Context): string[] {
  const text = inline(token.tokens, context.ink);
  return wrap(token.depth === 1 ? context.ink.title(text) : context.ink.heading(text), context.width);
}

function block(token: Token, context: Context, depth: number): string[] | undefined {
  const { ink, width } = context;
  switch (token.type) {
    case 'space':
      return undefined;
    case 'heading':
      return heading(token as Tokens.Heading, context);
    case 'paragraph':
      return wrap(inline(token.tokens, ink), width);
    case 'text':
      // A tight list item's text: inline tokens when marked parsed them.
      return wrap('tokens' in token && token.tokens ? inline(token.tokens, ink) : decodeEntities(token.text), width);
    case 'list':
      return list(token as Tokens.List, context, depth);
    case 'code':
      return codeBlock((token as Tokens.Code).text, context);
    case 'blockquote': {
      const bar = ink.dim('│ ');
      return blocks(token.tokens ?? [], { ...context, width: width - 2 }, depth).map((each) => `${bar}${each}`);
    }
    case 'table': {
      const table = token as Tokens.Table;
      const cells = (row: Tokens.TableCell[]) => row.map((cell) => inline(cell.tokens, ink));
      return layoutTable(cells(table.header), table.rows.map(cells), width, ink);
    }
    case 'hr':
      return [ink.dim('─'.repeat(Math.max(1, width)))];
    case 'html':
      return wrap(token.text.trim(), width);
    default:
      return 'text' in token && typeof token.text === 'string' ? wrap(token.text, width) : undefined;
  }
}

/** Block tokens as lines, one blank line between blocks (none inside a tight list item). */
function blocks(tokens: readonly Token[], context: Context, depth: number): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    const lines = block(token, context, depth);
    if (!lines || lines.length === 0) continue;
    const tight = depth > 0 && (token.type === 'list' || token.type === 'text');
    if (out.length > 0 && !tight) out.push('');
    out.push(...lines);
  }
  return out;
}

export function renderMarkdown(markdown: string, options: RenderOptions): string {
  const context: Context = { ink: createInk(options.color), width: Math.max(20, options.width) };
  return blocks(new Lexer().lex(markdown), context, 0).join('\n').trimEnd();
}

export function renderArticle(article: Article, options: RenderOptions): string {
  return renderMarkdown(article.body, options);
}
