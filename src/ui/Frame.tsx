import { Box, Text } from 'ink';
import type { FrameLines } from './frames.js';

/**
 * Displays a frame (src/ui/frames.ts): lines already styled and fitted to the width, one <Text> each. ink lays
 * out nothing here, so what it shows is exactly what the first frame wrote before ink had loaded.
 */
export function Frame({ lines }: { lines: FrameLines }) {
  return (
    <Box flexDirection="column">
      {lines.map((text, index) => (
        <Text key={index} wrap="truncate-end">
          {text === '' ? ' ' : text}
        </Text>
      ))}
    </Box>
  );
}
