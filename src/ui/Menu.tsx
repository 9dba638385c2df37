import { useApp } from 'ink';
import { useState } from 'react';
import { Frame } from './Frame.js';
import { menuFrame, menuSize } from './frames.js';
import { menuKey, type MenuItem } from './menu-state.js';
import { useKeys } from './use-keys.js';
import { useLatest } from './use-latest.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface MenuProps<V extends string> {
  title: string;
  question: string;
  items: readonly MenuItem<V>[];
}

/** What a menu exits with: a chosen value, or 'cancel' for q/Esc. Ctrl-C exits with undefined (ink). */
export type MenuResult<V extends string> = V | 'cancel';

/** A full-screen list of choices; exits the ink app with the chosen value. */
export function Menu<V extends string>({ title, question, items }: MenuProps<V>) {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [selected, setSelected] = useState(0);
  const latest = useLatest(selected);
  useKeys((presses) => {
    let current = latest.current;
    for (const press of presses) {
      const command = menuKey(items, { selected: current }, press);
      if (command?.type === 'move') current = command.to;
      else if (command) {
        exit(command.type === 'choose' ? command.value : 'cancel');
        return;
      }
    }
    latest.current = current;
    setSelected(current);
  });
  return <Frame lines={menuFrame({ ...menuSize(columns, rows), title, question, items, selected })} />;
}
