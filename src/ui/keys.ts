/**
 * Key presses as plain data, so the screen reducers can be unit-tested without ink or a terminal.
 * toKeyPress() adapts ink's (input, key) pair; the tests build KeyPress values with key() and char().
 */

export type KeyName =
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'pageup'
  | 'pagedown'
  | 'home'
  | 'end'
  | 'enter'
  | 'escape'
  | 'tab'
  | 'backspace'
  /** A printable character (or a Ctrl/Meta chord on a letter); the character is in `text`. */
  | 'char';

export interface KeyPress {
  readonly name: KeyName;
  /** The character for name 'char' (for Ctrl-N: "n" with ctrl true); empty otherwise. */
  readonly text: string;
  readonly ctrl: boolean;
  readonly shift: boolean;
  readonly meta: boolean;
}

/** The fields of ink's Key that matter here (structural, so this module never imports ink). */
export interface InkKeyLike {
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  pageUp: boolean;
  pageDown: boolean;
  home: boolean;
  end: boolean;
  return: boolean;
  escape: boolean;
  tab: boolean;
  backspace: boolean;
  delete: boolean;
  ctrl: boolean;
  shift: boolean;
  meta: boolean;
}

const NAMED: readonly [keyof InkKeyLike, KeyName][] = [
  ['upArrow', 'up'],
  ['downArrow', 'down'],
  ['leftArrow', 'left'],
  ['rightArrow', 'right'],
  ['pageUp', 'pageup'],
  ['pageDown', 'pagedown'],
  ['home', 'home'],
  ['end', 'end'],
  ['return', 'enter'],
  ['escape', 'escape'],
  ['tab', 'tab'],
  ['backspace', 'backspace'],
  // Terminals send DEL (0x7f) for the Backspace key and ink reports it as `delete`; one-line inputs here have
  // no cursor to delete forward from, so both erase the last character.
  ['delete', 'backspace'],
];

export function toKeyPress(input: string, key: InkKeyLike): KeyPress {
  const named = NAMED.find(([field]) => key[field]);
  const modifiers = { ctrl: key.ctrl, shift: key.shift, meta: key.meta && !key.escape };
  if (named) return { name: named[1], text: '', ...modifiers };
  return { name: 'char', text: input, ...modifiers };
}

/** One character of a coalesced chunk as the key it stands for. */
function keyOfChar(ch: string): KeyPress {
  if (ch === '\r' || ch === '\n') return key('enter');
  if (ch === '\t') return key('tab');
  if (ch === '\u007f' || ch === '\b') return key('backspace');
  if (ch === '\u001b') return key('escape');
  const code = ch.charCodeAt(0);
  if (code >= 1 && code <= 26) return ctrl(String.fromCharCode(code + 96));
  return char(ch);
}

/**
 * The key presses in one ink input event. When the program is busy, keys typed in quick succession reach
 * it as one chunk ("nt\u0003", "pec\r"), which ink reports as a single input; split such chunks back into
 * keys so none is lost (ink already splits escape sequences such as arrows into events of their own).
 */
export function toKeyPresses(input: string, inkKey: InkKeyLike): KeyPress[] {
  const single = toKeyPress(input, inkKey);
  const chars = [...input];
  if (single.name !== 'char' || single.ctrl || chars.length <= 1) return [single];
  return chars.map(keyOfChar);
}

/** A named key with no modifiers (tests and defaults). */
export function key(name: Exclude<KeyName, 'char'>, modifiers: Partial<Pick<KeyPress, 'ctrl' | 'shift' | 'meta'>> = {}): KeyPress {
  return { name, text: '', ctrl: false, shift: false, meta: false, ...modifiers };
}

/** A printable character; `ctrl('n')` is Ctrl-N. */
export function char(text: string): KeyPress {
  return { name: 'char', text, ctrl: false, shift: text.length === 1 && text !== text.toLowerCase(), meta: false };
}

export function ctrl(letter: string): KeyPress {
  return { name: 'char', text: letter, ctrl: true, shift: false, meta: false };
}

/** A plain printable character that belongs in a text input (no Ctrl/Meta, no control codes). */
export function isTypedText(press: KeyPress): boolean {
  return press.name === 'char' && !press.ctrl && !press.meta && press.text !== '' && !/[\u0000-\u001f\u007f]/.test(press.text);
}

export function isCtrl(press: KeyPress, letter: string): boolean {
  return press.name === 'char' && press.ctrl && press.text === letter;
}

/** The unmodified character `text` (so `isChar(p, 'q')` is false for Ctrl-Q). */
export function isChar(press: KeyPress, text: string): boolean {
  return press.name === 'char' && !press.ctrl && !press.meta && press.text === text;
}
