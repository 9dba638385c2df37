import { redact } from '../diagnose/redact.js';

/**
 * The one place where text becomes safe to print. Every host passes every text and data string it writes through
 * printable(): names, error messages and log lines come from AWS, instance tags and files, and any of them may hold
 * a secret, a terminal control sequence (ESC[2J clears the screen, OSC 52 writes the clipboard) or a 50 KB HTML
 * error page. printable():
 *   1. masks secrets (src/diagnose/redact.ts);
 *   2. shortens absurdly long values: a run without spaces over `longValue` characters keeps its start and says
 *      its length, and a whole text over `maxLength` is cut the same way;
 *   3. shows control characters escaped (\u001b[2J, never the real ESC): C0 and C1 controls, DEL, a lone CR, and
 *      the bidirectional overrides that make text read differently from what it is. Newlines and tabs stay; CRLF
 *      becomes LF. With `keepStyles`, the SGR colour sequences cd-wizard's own Style makes (bold, dim, the
 *      foreground colours it uses, their resets) stay, so a result styled with host.style keeps its colours
 *      while a name carrying any other sequence is still shown escaped.
 */

export interface PrintableOptions {
  /** Keep cd-wizard's own colour sequences (result text built with host.style, when colour is on). */
  keepStyles?: boolean;
  /** A run of non-space characters longer than this is shortened (default 200; Infinity keeps it). */
  longValue?: number;
  /** A text longer than this is cut (default 4000; Infinity keeps it). */
  maxLength?: number;
}

/** Messages and event data: shorten long values, cap the whole text. */
export const MESSAGE_LIMITS = { longValue: 200, maxLength: 4000 } as const;
/** Result text: a command line with an inline policy is long but must stay copyable; only blobs are cut. */
export const RESULT_LIMITS = { longValue: 2000, maxLength: Infinity } as const;
/** Result documents are the machine contract: complete, only masked and escaped. */
export const DOCUMENT_LIMITS = { longValue: Infinity, maxLength: Infinity } as const;

/** How much of a shortened value is kept. */
const KEEP = 120;

/** SGR parameters our Style emits (node:util styleText): bold, dim, italic, underline, their resets, colours, gray. */
const STYLE_PARAMS = new Set(['0', '1', '2', '3', '4', '22', '23', '24', '31', '32', '33', '34', '35', '36', '37', '39', '90']);

// An SGR sequence first (kept when allowed), then any single character that must be shown escaped.
const CONTROL = /\u001b\[([0-9;]*)m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(char: string): string {
  return `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
}

function escapeControls(text: string, keepStyles: boolean): string {
  return text.replace(CONTROL, (match: string, params: string | undefined) => {
    if (params !== undefined) {
      const allowed = keepStyles && (params === '' || params.split(';').every((param) => STYLE_PARAMS.has(param)));
      return allowed ? match : `${escapeChar('\u001b')}${match.slice(1)}`;
    }
    return escapeChar(match);
  });
}

/** "abc… (5123 characters)": the start of a value and how long it was, cut on a code point. */
function shortened(value: string, keep: number, unit: string): string {
  const chars = [...value];
  return `${chars.slice(0, keep).join('')}… (${chars.length} ${unit})`;
}

export function printable(text: string, options: PrintableOptions = {}): string {
  const longValue = options.longValue ?? MESSAGE_LIMITS.longValue;
  const maxLength = options.maxLength ?? MESSAGE_LIMITS.maxLength;
  let out = redact(text).replace(/\r\n/g, '\n');
  if (Number.isFinite(longValue)) {
    out = out.replace(new RegExp(`\\S{${longValue + 1},}`, 'gu'), (run) => ([...run].length > longValue ? shortened(run, Math.min(KEEP, longValue), 'characters') : run));
  }
  if (Number.isFinite(maxLength) && out.length > maxLength) out = shortened(out, maxLength, 'characters in all');
  return escapeControls(out, options.keepStyles ?? false);
}

/**
 * Every string inside a JSON value through printable() (object keys too); numbers, booleans and null as they are;
 * Dates and other values with toJSON as JSON would write them; undefined and functions dropped as JSON drops them;
 * a cycle becomes "[circular]". The result is plain data, safe for JSON.stringify.
 */
export function printableData(value: unknown, options: PrintableOptions = MESSAGE_LIMITS, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return printable(value, options);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return printableData(withJson.toJSON(), options, seen);
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item: unknown) => printableData(item, options, seen) ?? null);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const safe = printableData(item, options, seen);
      if (safe !== undefined) out[printable(key, options)] = safe;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}
