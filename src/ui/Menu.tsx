import { Box, Text, useApp } from 'ink';
import { useState } from 'react';
import { menuKey, type MenuItem } from './menu-state.js';
import { StatusLine } from './StatusLine.js';
import { TitleBar } from './TitleBar.js';
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
  const width = Math.max(20, columns);
  return (
    <Box flexDirection="column" width={width} height={Math.max(1, rows - 1)} overflow="hidden">
      <TitleBar left={` ${title}`} right="" width={width} />
      <Text> </Text>
      <Text bold> {question}</Text>
      <Text> </Text>
      {items.map((item, index) => (
        <Box key={item.value} flexDirection="column">
          <Text wrap="truncate-end" bold={index === selected} inverse={index === selected}>
            {index === selected ? ' › ' : '   '}
            {index + 1}. {item.label}
          </Text>
          <Text wrap="truncate-end" dimColor>
            {'      '}
            {item.description}
          </Text>
        </Box>
      ))}
      <Box flexGrow={1} />
      <StatusLine width={width}>{`↑↓ move  Enter choose  1–${items.length} pick  q quit`}</StatusLine>
    </Box>
  );
}
