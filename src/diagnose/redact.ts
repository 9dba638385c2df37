/**
 * Masks secrets in anything cd-wizard echoes back (evidence lines, reports, AWS error messages). Pure.
 *
 * Finds secret spans first and replaces them in one pass, so callers that cut a window out of a line can mask
 * the whole line first and map their offsets through (`redactSpans` + `applySpans`). Every scan is linear:
 * tokens are found with simple character loops or regexes without nested repetition. When unsure, it masks:
 * a false positive costs a few characters of evidence, a false negative leaks a credential.
 *
 * Covered: access key ids (AKIA/ASIA, shown as `aws configure list` does), secret access keys (named in any
 * case and spelling, or bare 40-character base64), session tokens (named, in header form, or any long base64
 * run such as AWS's documentation example), passwords in URLs (even with `/` or `@` in them) and in
 * `password=` settings, a secret split over two lines, and optionally 12-digit account ids.
 */
export interface RedactOptions {
  /** Also mask 12-digit AWS account ids (--redact-account). */
  accountIds?: boolean;
}

export const MASK = '****';

export interface Span {
  start: number;
  end: number;
  replacement: string;
}

const BASE64 = /[A-Za-z0-9/+]/;
const isBase64 = (char: string | undefined) => char !== undefined && BASE64.test(char);

// Names whose value is a secret, in ini, env, YAML, JSON, header and query-string forms (case-insensitive,
// `_`, `-` or nothing between the words). The value is masked whatever its length.
const NAMED_SECRET =
  /(?<![A-Za-z0-9])((?:aws_?)?(?:secret_?(?:access_?)?key|session_?token|security_?token|x-amz-security-token|secret|password|passwd)|token)("?\s{0,3}[:=]\s{0,3}["']?)([^\s"'&,;}<>]{1,4096})/gi;
// scheme://user:password@host — the password may itself hold / or @: the last @ before the host ends it.
const URL_START = /\b[a-z][a-z0-9+.-]{0,30}:\/\//gi;
const KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{12}([A-Z0-9]{4})\b/g;
const ACCOUNT_ID = /(?<![\d.])\d{12}(?![\d.])/g;
/** Base64 runs at least this long are session tokens or other opaque credentials. */
const LONG_TOKEN = 100;
/** How STS session tokens start (AWS's documentation example starts with AQoDYXdz / AQoEXAMPLE). */
const TOKEN_PREFIX = /^(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz|AQoDYXdz|AQoEXAMPLE)/;

function namedSecrets(text: string, spans: Span[]): void {
  for (const found of text.matchAll(NAMED_SECRET)) {
    const name = found[1] ?? '';
    // "token" alone only in key-value forms that read like a credential (JSON "Token": "…" of IMDS output).
    if (name.toLowerCase() === 'token' && !/^"?\s*:/.test(found[2] ?? '')) continue;
    const start = (found.index ?? 0) + name.length + (found[2] ?? '').length;
    spans.push({ start, end: start + (found[3] ?? '').length, replacement: MASK });
  }
}

function urlPasswords(text: string, spans: Span[]): void {
  for (const found of text.matchAll(URL_START)) {
    const from = (found.index ?? 0) + found[0].length;
    let end = from;
    while (end < text.length && !/[\s"'<>`]/.test(text[end] as string)) end += 1;
    const token = text.slice(from, end);
    const at = token.lastIndexOf('@');
    if (at <= 0) continue;
    const colon = token.indexOf(':');
    if (colon < 0 || colon > at) continue;
    spans.push({ start: from + colon + 1, end: from + at, replacement: MASK });
  }
}

/** Bare base64 runs: 40-character secret keys and long session tokens. */
function bareTokens(text: string, spans: Span[]): void {
  let i = 0;
  while (i < text.length) {
    if (!isBase64(text[i])) {
      i += 1;
      continue;
    }
    let end = i;
    let upper = false;
    let lower = false;
    let digit = false;
    while (end < text.length && isBase64(text[end])) {
      const char = text[end] as string;
      if (char >= 'A' && char <= 'Z') upper = true;
      else if (char >= 'a' && char <= 'z') lower = true;
      else if (char >= '0' && char <= '9') digit = true;
      end += 1;
    }
    const run = text.slice(i, end);
    while (end < text.length && text[end] === '=') end += 1; // padding
    if ((run.length >= LONG_TOKEN && upper && lower) || (run.length >= 20 && TOKEN_PREFIX.test(run))) {
      spans.push({ start: i, end, replacement: MASK });
    } else if (run.length === 40 && upper && lower && (digit || !run.startsWith('/')) && !looksLikePath(run)) {
      spans.push({ start: i, end, replacement: MASK });
    }
    i = end;
  }
}

/** A slash-separated path of words (/opt/CodeDeployAgent/…) is not a key: keys have no empty or one-letter segments pattern. */
function looksLikePath(run: string): boolean {
  const segments = run.split('/');
  return run.startsWith('/') && segments.length >= 3 && segments.slice(1).every((segment) => /^[A-Za-z][a-z]+(?:[A-Z][a-z]+)*$/.test(segment));
}

/** The secret spans of `text`, sorted and merged. */
export function redactSpans(text: string, options: RedactOptions = {}): Span[] {
  const spans: Span[] = [];
  urlPasswords(text, spans);
  namedSecrets(text, spans);
  bareTokens(text, spans);
  for (const found of text.matchAll(KEY_ID)) {
    const start = found.index ?? 0;
    spans.push({ start: start + 4, end: start + 16, replacement: '*'.repeat(12) });
  }
  if (options.accountIds) for (const found of text.matchAll(ACCOUNT_ID)) spans.push({ start: found.index ?? 0, end: (found.index ?? 0) + 12, replacement: '*'.repeat(12) });
  splitSecrets(text, spans);
  return merge(spans);
}

/** Whether a base64 run (possibly glued from two pieces) has the shape of a secret key or a session token. */
function secretShaped(run: string): boolean {
  const mixed = /[A-Z]/.test(run) && /[a-z]/.test(run);
  return (mixed && (run.length === 40 || run.length >= LONG_TOKEN)) || /^(?:AKIA|ASIA)[A-Z0-9]{16}$/.test(run) || (run.length >= 20 && TOKEN_PREFIX.test(run));
}

/**
 * A secret split over two lines: the end of one line and the start of the next are masked together when
 * they are the two halves of something secret-shaped, when the first line ends in a masked value, or when it
 * ends with a secret's name and separator.
 */
function splitSecrets(text: string, spans: Span[]): void {
  if (!text.includes('\n')) return;
  const masked = merge([...spans]);
  let lineStart = 0;
  for (;;) {
    const newline = text.indexOf('\n', lineStart);
    if (newline < 0) break;
    const lineEnd = newline > 0 && text[newline - 1] === '\r' ? newline - 1 : newline;
    const next = newline + 1;
    let runEnd = next;
    while (runEnd < text.length && isBase64(text[runEnd])) runEnd += 1;
    if (runEnd > next) {
      let tailStart = lineEnd;
      while (tailStart > lineStart && isBase64(text[tailStart - 1])) tailStart -= 1;
      const endsMasked = masked.some((span) => span.end === lineEnd && span.end > span.start);
      const endsNamed = /(?:key|token|secret|password)"?\s{0,3}[:=]\s{0,3}["']?$/i.test(text.slice(Math.max(lineStart, tailStart - 60), tailStart));
      const glued = tailStart < lineEnd && secretShaped(text.slice(tailStart, lineEnd) + text.slice(next, runEnd));
      if (endsMasked || endsNamed || glued) {
        spans.push({ start: next, end: runEnd, replacement: MASK });
        if (tailStart < lineEnd) spans.push({ start: tailStart, end: lineEnd, replacement: MASK });
      }
    }
    lineStart = next;
  }
}

function merge(spans: Span[]): Span[] {
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) {
      if (span.end > last.end) {
        last.end = span.end;
        last.replacement = MASK;
      }
      continue;
    }
    merged.push({ ...span });
  }
  return merged;
}

/** Replaces the spans (sorted, disjoint) in `text`. */
export function applySpans(text: string, spans: readonly Span[]): string {
  let out = '';
  let from = 0;
  for (const span of spans) {
    out += text.slice(from, span.start) + span.replacement;
    from = span.end;
  }
  return out + text.slice(from);
}

/** Where offset `at` of the original text lands after the spans are applied. */
export function mapOffset(spans: readonly Span[], at: number): number {
  let shift = 0;
  for (const span of spans) {
    if (span.end <= at) shift += span.replacement.length - (span.end - span.start);
    else if (span.start < at) return span.start + shift;
    else break;
  }
  return at + shift;
}

export function redact(text: string, options: RedactOptions = {}): string {
  return applySpans(text, redactSpans(text, options));
}
