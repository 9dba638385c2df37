/**
 * Quoting a matched line back to the user: mask secrets in the whole line first (with its neighbours, for a
 * secret split over two lines), then cut a window around the match, then make it safe to print.
 * Masking before cutting matters: a window cut first could keep 39 of a key's 40 characters and hide the rest
 * of it from the masker.
 */
import { applySpans, mapOffset, redactSpans, type RedactOptions, type Span } from './redact.js';

/** Evidence longer than this is cut to a window around the match. */
export const EVIDENCE_WIDTH = 240;
/** How far a window edge may move to avoid cutting through a code span, a quoted string or a path. */
const SLACK = 48;

/** The secret spans of `line`, including the parts of secrets that continue from or onto its neighbours. */
function lineSpans(line: string, before: string, after: string, options: RedactOptions): Span[] {
  const joined = `${before}\n${line}\n${after}`;
  const offset = before.length + 1;
  const spans: Span[] = [];
  for (const span of redactSpans(joined, options)) {
    const start = Math.max(span.start, offset) - offset;
    const end = Math.min(span.end, offset + line.length) - offset;
    if (end > start) spans.push({ start, end, replacement: span.replacement });
  }
  return spans;
}

/**
 * Terminal control characters (ESC, BEL, backspace, C1 codes …) shown as visible escapes, so a log line can
 * neither retitle nor clear the terminal it is printed on. Tabs become spaces.
 */
export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, (char) =>
    char === '\t' ? ' ' : `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
  ).replace(/\t/g, ' ');
}

/** Ranges [open, close] of `…` code spans and "…" strings, which a cut should not go through. */
function protectedRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const quote of ['`', '"']) {
    let open = -1;
    for (let i = text.indexOf(quote); i >= 0; i = text.indexOf(quote, i + 1)) {
      if (open < 0) open = i;
      else {
        // Long quoted stretches (a whole JSON payload) are not worth keeping whole; short ones are code and paths.
        if (i - open <= 160) ranges.push([open, i]);
        open = -1;
      }
    }
  }
  return ranges;
}

/** Moves a cut at `at` out of a protected range or a word: outward by at most SLACK, else inward. */
function adjustCut(text: string, at: number, ranges: ReadonlyArray<[number, number]>, direction: -1 | 1): number {
  let cut = at;
  for (const [open, close] of ranges) {
    if (cut > open && cut <= close) {
      const outward = direction < 0 ? open : close + 1;
      const inward = direction < 0 ? close + 1 : open;
      cut = Math.abs(outward - at) <= SLACK ? outward : inward;
    }
  }
  // Not in the middle of a word or a path.
  const isWordChar = (index: number) => index >= 0 && index < text.length && !/\s/.test(text[index] as string);
  if (isWordChar(cut - 1) && isWordChar(cut)) {
    let edge = cut;
    if (direction < 0) while (edge > 0 && isWordChar(edge - 1) && cut - edge <= SLACK) edge -= 1;
    else while (edge < text.length && isWordChar(edge) && edge - cut <= SLACK) edge += 1;
    if (!(isWordChar(edge - 1) && isWordChar(edge))) cut = edge;
  }
  return cut;
}

/**
 * The evidence text for a match at [at, at + length) of `line`: masked, cut to EVIDENCE_WIDTH around the match
 * (never through a secret, and not through code, a quoted string or a path when it can help it), escaped.
 */
export function quoteLine(line: string, at: number, length: number, before: string, after: string, options: RedactOptions): string {
  const trimmedStart = line.length - line.trimStart().length;
  const trimmed = line.trim();
  const spans = lineSpans(trimmed, before, after, options);
  const masked = applySpans(trimmed, spans);
  if (masked.length <= EVIDENCE_WIDTH) return escapeControls(masked);
  const start = mapOffset(spans, Math.max(0, at - trimmedStart));
  const end = Math.max(start, mapOffset(spans, Math.max(0, at - trimmedStart + length)));
  const matchLength = Math.min(end - start, EVIDENCE_WIDTH);
  // Centre the window on the match so the words that fired the rule are always visible.
  let from = Math.max(0, Math.min(start - Math.floor((EVIDENCE_WIDTH - matchLength) / 2), masked.length - EVIDENCE_WIDTH));
  let to = Math.min(masked.length, from + EVIDENCE_WIDTH);
  const ranges = protectedRanges(masked);
  if (from > 0) from = adjustCut(masked, from, ranges, -1);
  if (to < masked.length) to = adjustCut(masked, to, ranges, 1);
  if (from > start) from = start;
  if (to < Math.min(end, masked.length)) to = Math.min(end, from + EVIDENCE_WIDTH + SLACK);
  const window = masked.slice(from, to).trim();
  return escapeControls(`${from > 0 ? '…' : ''}${window}${to < masked.length ? '…' : ''}`);
}
