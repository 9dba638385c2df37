import { isChar, isCtrl, type KeyPress } from './keys.js';

/** A vertical menu as data: items, the selection, and what a key does to it. */

export interface MenuItem<V extends string> {
  readonly value: V;
  readonly label: string;
  /** One line under the label. */
  readonly description: string;
}

export interface MenuState {
  readonly selected: number;
}

export type MenuCommand<V extends string> = { type: 'move'; to: number } | { type: 'choose'; value: V } | { type: 'cancel' };

/**
 * ↑/↓, k/j, Ctrl-P/N and Tab move (wrapping); Enter chooses; 1–9 choose directly; q and Esc cancel.
 */
export function menuKey<V extends string>(items: readonly MenuItem<V>[], state: MenuState, press: KeyPress): MenuCommand<V> | undefined {
  const count = items.length;
  const wrap = (index: number) => ((index % count) + count) % count;
  if (count === 0) return press.name === 'escape' || isChar(press, 'q') ? { type: 'cancel' } : undefined;
  if (press.name === 'up' || isChar(press, 'k') || isCtrl(press, 'p') || (press.name === 'tab' && press.shift)) return { type: 'move', to: wrap(state.selected - 1) };
  if (press.name === 'down' || isChar(press, 'j') || isCtrl(press, 'n') || press.name === 'tab') return { type: 'move', to: wrap(state.selected + 1) };
  if (press.name === 'home') return { type: 'move', to: 0 };
  if (press.name === 'end') return { type: 'move', to: count - 1 };
  if (press.name === 'enter') {
    const item = items[state.selected];
    return item ? { type: 'choose', value: item.value } : undefined;
  }
  if (press.name === 'escape' || isChar(press, 'q')) return { type: 'cancel' };
  if (press.name === 'char' && !press.ctrl && /^[1-9]$/.test(press.text)) {
    const item = items[Number(press.text) - 1];
    return item ? { type: 'choose', value: item.value } : undefined;
  }
  return undefined;
}
