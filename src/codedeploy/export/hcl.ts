/**
 * A small HCL writer for the subset Terraform configurations need: blocks with labels, attributes whose values are
 * strings (with interpolations), numbers, booleans, lists, maps, references, nested blocks and comments. (No npm
 * library writes plain HCL: the HCL tools there parse it, or emit Terraform's JSON syntax, which has no comments.)
 * The tests parse what it writes with HashiCorp's own parser (@cdktf/hcl2json).
 */

/** A value written as is: a reference or an expression (`aws_iam_role.service.arn`). */
export interface Raw {
  raw: string;
}

/** A string made of literal text and `${…}` interpolations (written unescaped). */
export interface Template {
  template: Array<string | Raw>;
}

export type HclValue = string | number | boolean | Raw | Template | HclValue[] | { [key: string]: HclValue };

export interface HclBlock {
  type: string;
  labels?: string[];
  comment?: string;
  body: HclEntry[];
}

export type HclEntry = { name: string; value: HclValue; comment?: string } | HclBlock | { comment: string };

export const raw = (text: string): Raw => ({ raw: text });

const isRaw = (value: unknown): value is Raw => typeof value === 'object' && value !== null && 'raw' in value;
const isTemplate = (value: unknown): value is Template => typeof value === 'object' && value !== null && 'template' in value;
const isBlock = (entry: HclEntry): entry is HclBlock => 'type' in entry && 'body' in entry;

/** A literal string: quotes and backslashes escaped, and `${` / `%{` so Terraform does not read them as templates. */
export function hclString(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\$\{/g, '$$$${') // `$$` is one `$` in a replacement: this writes `$${`
    .replace(/%\{/g, '%%{');
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function value(v: HclValue, indent: string): string {
  if (typeof v === 'string') return `"${hclString(v)}"`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isRaw(v)) return v.raw;
  if (isTemplate(v)) return `"${v.template.map((part) => (typeof part === 'string' ? hclString(part) : `\${${part.raw}}`)).join('')}"`;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const items = v.map((item) => value(item, `${indent}  `));
    const oneLine = `[${items.join(', ')}]`;
    return oneLine.length <= 100 && !oneLine.includes('\n') ? oneLine : `[\n${items.map((item) => `${indent}  ${item},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(v);
  if (entries.length === 0) return '{}';
  const width = Math.max(...entries.map(([key]) => key.length + (IDENTIFIER.test(key) ? 0 : 2)));
  const lines = entries.map(([key, inner]) => {
    const name = IDENTIFIER.test(key) ? key : `"${hclString(key)}"`;
    return `${indent}  ${name.padEnd(width)} = ${value(inner, `${indent}  `)}`;
  });
  return `{\n${lines.join('\n')}\n${indent}}`;
}

const commentLines = (text: string, indent: string) => text.split('\n').map((line) => `${indent}#${line === '' ? '' : ` ${line}`}`);

function block(entry: HclBlock, indent: string): string[] {
  const labels = (entry.labels ?? []).map((label) => ` "${hclString(label)}"`).join('');
  const lines = [...(entry.comment ? commentLines(entry.comment, indent) : []), `${indent}${entry.type}${labels} {`];
  if (entry.body.length === 0) return [...lines.slice(0, -1), `${indent}${entry.type}${labels} {}`];
  const attributes = entry.body.filter((one): one is { name: string; value: HclValue; comment?: string } => 'name' in one);
  const width = Math.max(0, ...attributes.map((one) => one.name.length));
  for (const one of entry.body) {
    if (isBlock(one)) lines.push(...block(one, `${indent}  `));
    else if ('name' in one) {
      if (one.comment) lines.push(...commentLines(one.comment, `${indent}  `));
      lines.push(`${indent}  ${one.name.padEnd(width)} = ${value(one.value, `${indent}  `)}`);
    } else lines.push(...commentLines(one.comment, `${indent}  `));
  }
  lines.push(`${indent}}`);
  return lines;
}

/** A configuration: top-level blocks and comments, one blank line between them. */
export function writeHcl(entries: ReadonlyArray<HclBlock | { comment: string }>): string {
  return `${entries.map((entry) => (isBlock(entry) ? block(entry, '') : commentLines(entry.comment, '')).join('\n')).join('\n\n')}\n`;
}
