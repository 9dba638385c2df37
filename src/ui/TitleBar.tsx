import { Text } from 'ink';
import { barText } from './guide-layout.js';

export interface TitleBarProps {
  left: string;
  right: string;
  width: number;
}

/** A full-width inverse bar: title on the left, position or context on the right. */
export function TitleBar({ left, right, width }: TitleBarProps) {
  return (
    <Text inverse bold wrap="truncate-end">
      {barText(left, right, width)}
    </Text>
  );
}
