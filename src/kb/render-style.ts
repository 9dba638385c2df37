/**
 * The styles the article renderer uses, as SGR escapes; with colour off every style is the identity, so the
 * same layout comes out as plain text (NO_COLOR, --no-color).
 */
export interface Ink {
  bold(text: string): string;
  italic(text: string): string;
  strike(text: string): string;
  dim(text: string): string;
  code(text: string): string;
  link(text: string): string;
  /** The article's title (its one level-1 heading). */
  title(text: string): string;
  heading(text: string): string;
}

const sgr = (open: string, close: string) => (text: string) => (text === '' ? '' : `\u001b[${open}m${text}\u001b[${close}m`);

export function createInk(color: boolean): Ink {
  if (!color) {
    const same = (text: string) => text;
    return { bold: same, italic: same, strike: same, dim: same, code: same, link: same, title: same, heading: same };
  }
  const bold = sgr('1', '22');
  const underline = sgr('4', '24');
  return {
    bold,
    italic: sgr('3', '23'),
    strike: sgr('9', '29'),
    dim: sgr('2', '22'),
    code: sgr('33', '39'),
    link: sgr('36', '39'),
    title: (text) => bold(underline(text)),
    heading: (text) => bold(sgr('36', '39')(text)),
  };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** marked keeps HTML entities in text as written; a terminal shows the characters. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}
