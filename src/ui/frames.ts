import type { MarkedSegment } from './ansi.js';
import { barText, fitWindow } from './guide-layout.js';
import type { MenuItem } from './menu-state.js';
import { fitText, line, span, spread, type Span } from './spans.js';

/**
 * Every full-screen view as a frame: exactly `height` lines of styled text, each fitted to `width`. Plain
 * functions of the screen's state, so they are tested without a terminal; ink displays the lines (src/ui/Frame.tsx),
 * and the first frame is written from the very same lines before ink has loaded (src/ui/first-frame.ts).
 */
export type FrameLines = readonly string[];

function titleBar(left: string, right: string, width: number): string {
  return line([span(barText(left, right, width), { bold: true, inverse: true })], width);
}

/** `body` lines, blank lines to fill the frame, then the status line at the bottom. */
function stack(top: readonly string[], bottom: readonly string[], height: number): string[] {
  const room = Math.max(0, height - bottom.length);
  const body = top.slice(0, room);
  return [...body, ...Array.from({ length: room - body.length }, () => ''), ...bottom];
}

/** The status line: text on the left, cut to fit; an optional dim note at the right edge. */
function statusLine(left: readonly Span[], right: string | undefined, width: number): string {
  return right ? spread(left, [span(` ${right}`, { dim: true })], width) : line(left, width);
}

export interface ResultRow {
  id: string;
  title: string;
  snippet: readonly MarkedSegment[];
  selected: boolean;
}

export interface SearchFrame {
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

/** The guide's first screen: title, search box, results (title and snippet), status line. */
export function searchFrame(frame: SearchFrame): FrameLines {
  const { width, color } = frame;
  const box: Span[] = [span('Search: ', { bold: true }), span(frame.query), span(' ', { inverse: true })];
  if (frame.query === '') box.push(span(` ${frame.placeholder}`, { dim: true }));
  const list =
    frame.rows.length === 0
      ? [line([span(frame.empty)], width)]
      : frame.rows.flatMap((row) => [
          line([span(`${row.selected ? '› ' : '  '}${row.title}`, { bold: true, inverse: row.selected })], width),
          line(
            [span('    ', { dim: true }), ...row.snippet.map((segment) => span(segment.text, segment.marked ? { bold: true, ...(color ? { color: 'yellow' } : { underline: true }) } : { dim: true }))],
            width,
          ),
        ]);
  return stack(
    [titleBar(' cd-wizard guide', 'CodeDeploy troubleshooting ', width), line(box, width), '', ...list],
    [statusLine([span(frame.status)], frame.count, width)],
    frame.height,
  );
}

export interface RelatedItem {
  id: string;
  selected: boolean;
}

export type ArticleStatus = { kind: 'prompt'; text: string } | { kind: 'text'; text: string };

export interface ArticleFrame {
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

/** The related ids on one line, scrolled so the selected one is always visible. */
function relatedBar(related: readonly RelatedItem[], width: number): string {
  if (related.length === 0) return line([span('Related: none', { dim: true })], width);
  const labels = related.map((item, index) => `${item.selected ? '›' : ' '}${index + 1} ${item.id}`);
  const { start, end } = fitWindow(
    labels.map((label) => label.length + 1),
    related.findIndex((item) => item.selected),
    width - RELATED_LABEL.length - 2,
  );
  const items = related.slice(start, end).flatMap((item, offset) => [span(labels[start + offset] ?? '', item.selected ? { bold: true, inverse: true } : undefined), span(' ')]);
  return line([span(RELATED_LABEL, { dim: true }), span(start > 0 ? '…' : ' '), ...items, span(end < related.length ? '…' : '')], width);
}

/** One article in the pager: title bar, the visible lines, related articles, status or find prompt. */
export function articleFrame(frame: ArticleFrame): FrameLines {
  const { width } = frame;
  const body = Array.from({ length: frame.pagerHeight }, (_, index) => frame.lines[index] ?? '');
  const status: Span[] =
    frame.status.kind === 'prompt'
      ? [span('Find: ', { bold: true }), span(frame.status.text), span(' ', { inverse: true }), span('  Enter find  Esc cancel', { dim: true })]
      : [span(frame.status.text)];
  return stack([titleBar(` ${frame.title}`, `${frame.position} `, width), ...body], [relatedBar(frame.related, width), line(status, width)], frame.height);
}

/** The menu's size on a terminal of `columns` × `rows`: like the guide, one row shorter than the terminal. */
export function menuSize(columns: number, rows: number): { width: number; height: number } {
  return { width: Math.max(20, columns), height: Math.max(1, rows - 1) };
}

export interface MenuFrame<V extends string> {
  width: number;
  height: number;
  title: string;
  question: string;
  items: readonly MenuItem<V>[];
  selected: number;
}

/** A full-screen list of choices, each with a one-line description. */
export function menuFrame<V extends string>(frame: MenuFrame<V>): FrameLines {
  const { width } = frame;
  const items = frame.items.flatMap((item, index) => {
    const selected = index === frame.selected;
    return [
      line([span(`${selected ? ' › ' : '   '}${index + 1}. ${item.label}`, selected ? { bold: true, inverse: true } : undefined)], width),
      line([span(`      ${item.description}`, { dim: true })], width),
    ];
  });
  const hints = `↑↓ move  Enter choose  1–${frame.items.length} pick  q quit`;
  return stack([titleBar(` ${frame.title}`, '', width), '', line([span(` ${frame.question}`, { bold: true })], width), '', ...items], [line([span(fitText(hints, width))], width)], frame.height);
}
