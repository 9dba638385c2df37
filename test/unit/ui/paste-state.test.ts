import { describe, expect, it } from 'vitest';
import { BRACKETED_PASTE, feedPaste, initialPaste, PASTE_LIMIT_CHARS, type PasteState } from '../../../src/ui/paste-state.js';

/** Feeds chunks as the terminal delivers them (each string is one read). */
function feed(...chunks: string[]): { state: PasteState; echo: string } {
  let state = initialPaste;
  let echo = '';
  for (const chunk of chunks) {
    const step = feedPaste(state, chunk);
    state = step.state;
    echo += step.echo;
  }
  return { state, echo };
}

const paste = (text: string) => `${BRACKETED_PASTE.start}${text}${BRACKETED_PASTE.end}`;

describe('reading pasted text', () => {
  it('ends with Enter typed on an empty line', () => {
    const { state, echo } = feed('e', 'r', 'r', '\r', '\r');
    expect(state).toMatchObject({ status: 'done', text: 'err\n' });
    expect(echo).toBe('err\r\n');
  });

  it('keeps empty lines inside a bracketed paste, also when the paste ends the chunk with an empty line', () => {
    const { state } = feed(paste('line one\r\rline three\r\r'), '\r');
    expect(state).toMatchObject({ status: 'done', text: 'line one\n\nline three\n\n' });
  });

  it('keeps empty lines of a paste without brackets when more text follows in the same chunk', () => {
    expect(feed('first\r\rsecond\r').state).toMatchObject({ status: 'reading', text: 'first\n\nsecond\n' });
    expect(feed('first\r\rsecond\r', '\r').state).toMatchObject({ status: 'done', text: 'first\n\nsecond\n' });
  });

  it('ends with Ctrl-D, and Ctrl-C or Esc cancel (inside a paste they are text)', () => {
    expect(feed('abc', '\u0004').state).toMatchObject({ status: 'done', text: 'abc' });
    expect(feed('abc', '\u0003').state.status).toBe('cancelled');
    expect(feed('abc', '\u001b').state.status).toBe('cancelled');
    expect(feed(paste('a\u0004b')).state).toMatchObject({ status: 'reading', text: 'ab' });
  });

  it('waits for a paste marker cut between two reads', () => {
    const whole = paste('x\r\ry');
    const { state } = feed(whole.slice(0, 3), whole.slice(3), '\r', '\r');
    expect(state).toMatchObject({ status: 'done', text: 'x\n\ny\n' });
  });

  it('ignores leading empty lines, arrows and control characters; Backspace erases on the current line', () => {
    expect(feed('\r', '\u001b[A', 'a', 'b', '\u007f', 'c', '\u0007', '\r', '\r').state).toMatchObject({ status: 'done', text: 'ac\n' });
  });

  it('keeps at most PASTE_LIMIT_CHARS characters and counts what it dropped', () => {
    const { state } = feed(paste('x'.repeat(PASTE_LIMIT_CHARS + 10)));
    expect(state.text).toHaveLength(PASTE_LIMIT_CHARS);
    expect(state.dropped).toBe(10);
  });
});
