import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { Position } from './types.js';

/**
 * The AppSpec as YAML nodes with positions. Parsed as YAML 1.1, like the agent's Ruby parser (Psych): there,
 * `mode: 0644` is an octal number and `yes` a boolean, which is exactly what the checks must see. Duplicate keys
 * are allowed through (Psych keeps the last one silently) so the checks can name both places.
 */

export interface AppSpecDocument {
  root: Node | null;
  at(node: Node | null | undefined): Position;
}

export interface SyntaxProblem extends Position {
  message: string;
}

/** yaml's error codes in words a person fixing an AppSpec can act on. */
const FRIENDLY: Record<string, string> = {
  TAB_AS_INDENT: 'A tab is used for indentation; YAML allows only spaces there.',
  BAD_INDENT: 'The indentation is inconsistent: keys of one mapping (and items of one list) must start in the same column.',
  MULTILINE_IMPLICIT_KEY: 'A line has no "key: value" colon (or a value runs over several lines without quotes).',
  MULTIPLE_DOCS: 'The file holds more than one YAML document (a --- separator); the agent reads only the first.',
  MISSING_CHAR: 'A quote or bracket is not closed.',
  BLOCK_AS_IMPLICIT_KEY: 'A nested block is used as a key: check the indentation and colons above this line.',
  UNEXPECTED_TOKEN: 'This token is not expected here: check the indentation, colons and dashes around it.',
};

export function parseAppSpecYaml(text: string): { doc: AppSpecDocument; syntax: SyntaxProblem | undefined } {
  const lineCounter = new LineCounter();
  const document: Document.Parsed = parseDocument(text, { version: '1.1', uniqueKeys: false, prettyErrors: false, lineCounter });
  const at = (node: Node | null | undefined): Position => {
    const offset = node?.range?.[0];
    if (offset === undefined) return { line: 1, column: 1 };
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const first = document.errors[0];
  const syntax = first === undefined ? undefined : (() => {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    const detail = first.message.split('\n')[0]?.replace(/\.?$/, '.') ?? 'The YAML does not parse.';
    return { line, column: col, message: FRIENDLY[first.code] ?? detail };
  })();
  return { doc: { root: document.contents, at }, syntax };
}

export const isMapping = (node: unknown): node is YAMLMap<Scalar, Node | null> => isMap(node);
export const isList = isSeq;
export const isScalarNode = (node: unknown): node is Scalar => isScalar(node);

/** No value at all: `key:` with nothing after it (a null scalar) or a missing node. */
export function isEmpty(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/** The key of a pair as text ("" when it is not a scalar). */
export function keyText(pair: Pair<unknown, unknown>): string {
  return isScalar(pair.key) ? String(pair.key.value) : '';
}

/** A scalar's value when it is a string (plain or quoted), else undefined. */
export function stringValue(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** How a scalar was written ("0644", '"0.0"'), for messages. */
export function written(node: Node | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (isScalar(node)) {
    const source = (node as Scalar & { source?: string }).source ?? String(node.value);
    if (node.type === 'QUOTE_DOUBLE') return `"${source}"`;
    if (node.type === 'QUOTE_SINGLE') return `'${source}'`;
    return node.value === null ? 'nothing' : source;
  }
  return isSeq(node) ? 'a list' : isMap(node) ? 'a mapping' : 'a value';
}
