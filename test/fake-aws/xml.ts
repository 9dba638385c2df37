/**
 * A small XML writer for the response shapes the fake returns. Values map to elements: objects become child
 * elements in key order, arrays become repeated `<member>` (AWS query) or `<item>` (EC2) children, Dates are
 * written as ISO 8601, and undefined values are left out, as AWS leaves out absent members.
 */
export type XmlValue = string | number | boolean | Date | undefined | readonly XmlValue[] | XmlFields;
export interface XmlFields {
  readonly [name: string]: XmlValue;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

function renderContent(value: XmlValue, listItem: string): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return escapeXml(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined) return '';
  if (Array.isArray(value)) return (value as readonly XmlValue[]).map((item) => renderElement(listItem, item, listItem)).join('');
  return renderFields(value as XmlFields, listItem);
}

export function renderElement(name: string, value: XmlValue, listItem: string): string {
  if (value === undefined) return '';
  return `<${name}>${renderContent(value, listItem)}</${name}>`;
}

export function renderFields(fields: XmlFields, listItem: string): string {
  return Object.entries(fields)
    .map(([name, value]) => renderElement(name, value, listItem))
    .join('');
}
