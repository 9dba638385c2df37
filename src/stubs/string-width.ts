import { eastAsianWidth } from 'get-east-asian-width';
import stripAnsi from 'strip-ansi';

/**
 * Build-time replacement for `string-width` in the ESM packages that lay out ink screens (ink, wrap-ansi,
 * cli-truncate, widest-line). It gives the same widths for what cd-wizard shows — ASCII, Hangul and other wide
 * characters (2 columns), combining marks and zero-width characters (0), emoji (2) — without the original's
 * per-grapheme Intl.Segmenter walk and RGI-emoji regex, which cost ~75 ms of the guide's first frame on lines
 * holding a single "…" or "—". The one difference: an emoji sequence of several pictographs (a ZWJ family, a
 * flag) is measured per pictograph, not as one grapheme. scripts/build.mjs applies it to ESM imports only.
 */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const PICTOGRAPHIC = /^\p{Extended_Pictographic}$/u;

export interface StringWidthOptions {
  ambiguousIsNarrow?: boolean;
  countAnsiEscapeCodes?: boolean;
}

export default function stringWidth(input: string, options: StringWidthOptions = {}): number {
  if (typeof input !== 'string' || input.length === 0) return 0;
  let text = input;
  if (!options.countAnsiEscapeCodes && (text.includes('\u001B') || text.includes('\u009B'))) text = stripAnsi(text);
  if (/^[\u0020-\u007E]*$/.test(text)) return text.length;
  const ambiguousAsWide = options.ambiguousIsNarrow === false;
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x20 && code < 0x7f) width += 1;
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || ZERO_WIDTH.test(char)) continue;
    else if (code >= 0x1f000 && PICTOGRAPHIC.test(char)) width += 2;
    else width += eastAsianWidth(code, { ambiguousAsWide });
  }
  return width;
}
