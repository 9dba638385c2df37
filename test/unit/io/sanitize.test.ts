import { describe, expect, it } from 'vitest';
import { DOCUMENT_LIMITS, RESULT_LIMITS, printable, printableData } from '../../../src/io/sanitize.js';

describe('printable', () => {
  it('shows terminal control sequences escaped instead of obeying them', () => {
    expect(printable('web\u001b[2J')).toBe('web\\u001b[2J');
    expect(printable('\u001b]52;c;ZXZpbA==\u0007')).toBe('\\u001b]52;c;ZXZpbA==\\u0007');
    expect(printable('a\u009b31mb')).toBe('a\\u009b31mb');
    expect(printable('bell\u0007 back\b del\u007f')).toBe('bell\\u0007 back\\u0008 del\\u007f');
  });

  it('keeps newlines and tabs, turns CRLF into LF and escapes a lone CR (it would overwrite the line)', () => {
    expect(printable('one\r\ntwo\tthree')).toBe('one\ntwo\tthree');
    expect(printable('safe\rEVIL')).toBe('safe\\u000dEVIL');
  });

  it('escapes the bidirectional controls that make text read differently from what it is', () => {
    expect(printable('i-1\u202egnp.exe')).toBe('i-1\\u202egnp.exe');
    expect(printable('x\u2066y\u2069')).toBe('x\\u2066y\\u2069');
  });

  it('leaves ordinary text alone, wide characters and emoji included', () => {
    const text = '배포 그룹 prod — 3 instances ✓ 🚀';
    expect(printable(text)).toBe(text);
  });

  it('masks secrets (src/diagnose/redact.ts)', () => {
    expect(printable('key AKIAIOSFODNN7EXAMPLE, aws_session_token=IQoJb3JpZ2luX2VjEXAMPLETOKENVALUE1234567890')).toBe('key AKIA************MPLE, aws_session_token=****');
  });

  it('shortens a value of more than 200 characters without spaces, saying how long it was', () => {
    const long = 'a'.repeat(201);
    expect(printable(`body ${long} end`)).toBe(`body ${'a'.repeat(120)}… (201 characters) end`);
    const fits = 'b'.repeat(200);
    expect(printable(fits)).toBe(fits);
    // Cut on a code point, never inside a character.
    expect(printable('가'.repeat(300))).toBe(`${'가'.repeat(120)}… (300 characters)`);
  });

  it('cuts a text of more than 4000 characters', () => {
    const text = 'word '.repeat(1000);
    const out = printable(text);
    expect(out).toBe(`${text.slice(0, 4000)}… (5000 characters in all)`);
  });

  it('result limits: long command lines stay whole; documents are never shortened', () => {
    const command = `aws iam put-role-policy --policy-document '${JSON.stringify({ Statement: Array.from({ length: 15 }, () => ({ Effect: 'Allow', Action: 's3:GetObject' })) })}'`;
    expect(printable(command, RESULT_LIMITS)).toBe(command);
    const blob = 'z'.repeat(10_000);
    expect(printable(blob, DOCUMENT_LIMITS)).toBe(blob);
  });

  it('keepStyles keeps the colours Style makes and still escapes every other sequence', () => {
    // What node:util styleText (behind Style) writes for green, bold and dim.
    const styled = '\u001b[32m✓\u001b[39m \u001b[1mweb\u001b[22m \u001b[2m(12s)\u001b[22m';
    expect(printable(styled, { keepStyles: true })).toBe(styled);
    expect(printable(styled)).toBe('\\u001b[32m✓\\u001b[39m \\u001b[1mweb\\u001b[22m \\u001b[2m(12s)\\u001b[22m');
    expect(printable('a\u001b[8mhidden\u001b[0m', { keepStyles: true })).toBe('a\\u001b[8mhidden\u001b[0m');
    expect(printable('a\u001b[38;5;16mblack', { keepStyles: true })).toBe('a\\u001b[38;5;16mblack');
    expect(printable('x\u001b[2J', { keepStyles: true })).toBe('x\\u001b[2J');
  });
});

describe('printableData', () => {
  it('makes every string printable, keys included, and keeps the shape', () => {
    const value = { 'tag\u001b[2J': ['AKIAIOSFODNN7EXAMPLE', 3, true, null], nested: { when: new Date(0), big: 10n } };
    expect(printableData(value)).toEqual({ 'tag\\u001b[2J': ['AKIA************MPLE', 3, true, null], nested: { when: '1970-01-01T00:00:00.000Z', big: '10' } });
  });

  it('drops what JSON drops and names a cycle instead of recursing forever', () => {
    const cyclic: Record<string, unknown> = { name: 'a', gone: undefined, fn: () => 1 };
    cyclic.self = cyclic;
    expect(printableData(cyclic)).toEqual({ name: 'a', self: '[circular]' });
    expect(printableData([undefined, 1])).toEqual([null, 1]);
  });

  it('a value seen twice (not a cycle) is kept both times', () => {
    const shared = { id: 'i-1' };
    expect(printableData({ a: shared, b: shared })).toEqual({ a: { id: 'i-1' }, b: { id: 'i-1' } });
  });
});
