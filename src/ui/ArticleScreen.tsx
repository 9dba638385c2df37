import { Box, Text } from 'ink';
import { fitWindow } from './guide-layout.js';
import { StatusLine } from './StatusLine.js';
import { TitleBar } from './TitleBar.js';

export interface RelatedItem {
  id: string;
  selected: boolean;
}

export type ArticleStatus = { kind: 'prompt'; text: string } | { kind: 'text'; text: string };

export interface ArticleScreenProps {
  width: number;
  height: number;
  title: string;
  position: string;
  /** The visible lines, already styled and highlighted. */
  lines: readonly string[];
  pagerHeight: number;
  related: readonly RelatedItem[];
  status: ArticleStatus;
}

const RELATED_LABEL = 'Related (Tab, Enter): ';

/** The related ids, scrolled so the selected one is always visible. */
function RelatedBar({ related, width }: { related: readonly RelatedItem[]; width: number }) {
  if (related.length === 0) return <Text dimColor>Related: none</Text>;
  const labels = related.map((item, index) => `${item.selected ? '›' : ' '}${index + 1} ${item.id}`);
  const { start, end } = fitWindow(
    labels.map((label) => label.length + 1),
    related.findIndex((item) => item.selected),
    width - RELATED_LABEL.length - 2,
  );
  return (
    <Text wrap="truncate-end">
      <Text dimColor>{RELATED_LABEL}</Text>
      {start > 0 ? '…' : ' '}
      {related.slice(start, end).map((item, offset) => (
        <Text key={item.id}>
          <Text inverse={item.selected} bold={item.selected}>
            {labels[start + offset]}
          </Text>{' '}
        </Text>
      ))}
      {end < related.length ? '…' : ''}
    </Text>
  );
}

/** One article in the pager: title bar, the visible lines, related articles, status or find prompt. */
export function ArticleScreen({ width, height, title, position, lines, pagerHeight, related, status }: ArticleScreenProps) {
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <TitleBar left={` ${title}`} right={`${position} `} width={width} />
      <Box flexDirection="column" height={pagerHeight} overflow="hidden">
        {lines.map((line, index) => (
          <Text key={index} wrap="truncate-end">
            {line === '' ? ' ' : line}
          </Text>
        ))}
      </Box>
      <RelatedBar related={related} width={width} />
      <StatusLine width={width}>
        {status.kind === 'prompt' ? (
          <>
            <Text bold>Find: </Text>
            {status.text}
            <Text inverse> </Text>
            <Text dimColor>  Enter find  Esc cancel</Text>
          </>
        ) : (
          status.text
        )}
      </StatusLine>
    </Box>
  );
}
