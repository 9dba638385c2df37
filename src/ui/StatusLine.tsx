import { Box, Text } from 'ink';
import type { ReactNode } from 'react';

export interface StatusLineProps {
  width: number;
  /** Shown at the right edge (counts, position). */
  right?: string;
  children: ReactNode;
}

/** The bottom line: key hints, a prompt or a message, cut to fit. */
export function StatusLine({ width, right, children }: StatusLineProps) {
  return (
    <Box width={width}>
      <Box flexGrow={1} flexShrink={1} overflow="hidden">
        <Text wrap="truncate-end">{children}</Text>
      </Box>
      {right ? <Text dimColor> {right}</Text> : null}
    </Box>
  );
}
