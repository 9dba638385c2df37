import stringWidth from 'string-width';

/**
 * Styled text as data: a screen line is a list of spans, fitted to the terminal's width and turned into one
 * ANSI string. The same string is what ink displays and what the first frame writes before ink has loaded, so
 * the two can only look the same.
 */

export interface SpanStyle {
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
  readonly underline?: boolean;
  readonly color?: 'yellow' | 'cyan';
}

export interface Span {
  readonly text: string;
  readonly style?: SpanStyle;
}

const SGR: Record<Exclude<keyof SpanStyle, 'color'>, number> = { bold: 1, dim: 2, underline: 4, inverse: 7 };
const COLOR: Record<NonNullable<SpanStyle['color']>, number> = { yellow: 33, cyan: 36 };

export const span = (text: string, style?: SpanStyle): Span => (style ? { text, style } : { text });

function open(style: SpanStyle | undefined): string {
  if (!style) return '';
  const codes: number[] = [];
  for (const [name, code] of Object.entries(SGR)) if (style[name as keyof typeof SGR]) codes.push(code);
  if (style.color) codes.push(COLOR[style.color]);
  return codes.length === 0 ? '' : `\u001b[${codes.join(';')}m`;
}

/** Spans as one string with SGR styling; every styled span is closed with a full reset. */
export function toAnsi(spans: readonly Span[]): string {
  let out = '';
  for (const { text, style } of spans) {
    if (text === '') continue;
    const start = open(style);
    out += start === '' ? text : `${start}${text}\u001b[0m`;
  }
  return out;
}

/** Terminal columns of plain text (wide characters count 2). */
export function textWidth(text: string): number {
  return stringWidth(text);
}

/** Plain text cut to `width` columns, ending in "…" when something was cut. */
export function fitText(text: string, width: number): string {
  if (width <= 0) return '';
  if (textWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = textWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

/** Spans cut to `width` columns; the cut span ends in "…" in its own style. */
export function fitSpans(spans: readonly Span[], width: number): Span[] {
  const out: Span[] = [];
  let room = width;
  for (const [index, each] of spans.entries()) {
    const w = textWidth(each.text);
    const rest = spans.slice(index + 1).reduce((sum, later) => sum + textWidth(later.text), 0);
    if (w + rest <= room) return [...out, ...spans.slice(index)];
    if (w >= room) return [...out, { ...each, text: fitText(`${each.text}${rest > 0 ? ' ' : ''}`, room) }];
    out.push(each);
    room -= w;
  }
  return out;
}

/** Spans fitted to `width` as one ANSI line. */
export function line(spans: readonly Span[], width: number): string {
  return toAnsi(fitSpans(spans, width));
}

/** `left` padded (or cut) to leave exactly room for `right` at the right edge. */
export function spread(left: readonly Span[], right: readonly Span[], width: number): string {
  const rightWidth = right.reduce((sum, each) => sum + textWidth(each.text), 0);
  const room = Math.max(0, width - rightWidth);
  const fitted = fitSpans(left, room);
  const used = fitted.reduce((sum, each) => sum + textWidth(each.text), 0);
  return toAnsi([...fitted, span(' '.repeat(Math.max(0, room - used))), ...right]);
}
