import { Box, Text } from 'ink';
import type { MarkedSegment } from './ansi.js';
import { StatusLine } from './StatusLine.js';
import { TitleBar } from './TitleBar.js';

export interface ResultRow {
  id: string;
  title: string;
  snippet: readonly MarkedSegment[];
  selected: boolean;
}

export interface SearchScreenProps {
  width: number;
  height: number;
  query: string;
  placeholder: string;
  /** The visible results only. */
  rows: readonly ResultRow[];
  /** Shown instead of the list when there are no results. */
  empty: string;
  status: string;
  count: string;
  color: boolean;
}

function Snippet({ segments, color }: { segments: readonly MarkedSegment[]; color: boolean }) {
  return (
    <Text wrap="truncate-end" dimColor>
      {'    '}
      {segments.map((segment, index) =>
        segment.marked ? (
          <Text key={index} bold {...(color ? { color: 'yellow' } : { underline: true })}>
            {segment.text}
          </Text>
        ) : (
          segment.text
        ),
      )}
    </Text>
  );
}

/** The guide's first screen: search box, results (title and snippet), status line. */
export function SearchScreen({ width, height, query, placeholder, rows, empty, status, count, color }: SearchScreenProps) {
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <TitleBar left=" cd-wizard guide" right="CodeDeploy troubleshooting " width={width} />
      <Text wrap="truncate-end">
        <Text bold>Search: </Text>
        {query}
        <Text inverse> </Text>
        {query === '' ? <Text dimColor> {placeholder}</Text> : null}
      </Text>
      <Text> </Text>
      {rows.length === 0 ? <Text>{empty}</Text> : null}
      {rows.map((row) => (
        <Box key={row.id} flexDirection="column">
          <Text wrap="truncate-end" bold inverse={row.selected}>
            {row.selected ? '› ' : '  '}
            {row.title}
          </Text>
          <Snippet segments={row.snippet} color={color} />
        </Box>
      ))}
      <Box flexGrow={1} />
      <StatusLine width={width} right={count}>
        {status}
      </StatusLine>
    </Box>
  );
}
