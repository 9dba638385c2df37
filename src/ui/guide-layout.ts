/**
 * How the guide divides the terminal. Every frame is one row shorter than the terminal: a frame as tall as
 * the terminal makes ink clear the whole screen on each update (flicker), and the spare row costs nothing.
 */

export interface GuideLayout {
  readonly columns: number;
  readonly rows: number;
  /** Rows each frame draws. */
  readonly frameRows: number;
  /** Results visible on the search screen (each takes two rows: title and snippet). */
  readonly listRows: number;
  /** Article rows visible in the pager. */
  readonly pagerHeight: number;
  /** Width articles are rendered at. */
  readonly contentWidth: number;
}

/** Search screen: header, search box, blank, results…, status. */
const SEARCH_CHROME = 4;
/** Article screen: header, lines…, related footer, status. */
const ARTICLE_CHROME = 3;

export function guideLayout(columns: number, rows: number): GuideLayout {
  const safeColumns = Math.max(20, columns);
  const frameRows = Math.max(ARTICLE_CHROME + 1, rows - 1);
  return {
    columns: safeColumns,
    rows,
    frameRows,
    listRows: Math.max(1, Math.floor((frameRows - SEARCH_CHROME) / 2)),
    pagerHeight: Math.max(1, frameRows - ARTICLE_CHROME),
    contentWidth: safeColumns - 1,
  };
}

/** As many key hints as fit in `width`, in order, separated by two spaces. */
export function fitHints(hints: readonly string[], width: number): string {
  let line = '';
  for (const hint of hints) {
    const next = line === '' ? hint : `${line}  ${hint}`;
    if (next.length > width) break;
    line = next;
  }
  return line;
}

/** `left` and `right` on one line of exactly `width` columns (left is cut first when both do not fit). */
export function barText(left: string, right: string, width: number): string {
  const room = width - right.length - 1;
  if (room < 1) return left.slice(0, width).padEnd(width);
  const shownLeft = left.length > room ? `${left.slice(0, Math.max(0, room - 1))}…` : left;
  return `${shownLeft.padEnd(room)} ${right}`;
}

/**
 * Which items of a one-line list fit in `width` while keeping `selected` visible: [start, end). Items are
 * laid out left to right with the given widths; the window starts as far left as the selection allows.
 */
export function fitWindow(widths: readonly number[], selected: number, width: number): { start: number; end: number } {
  const fits = (start: number, end: number) => widths.slice(start, end).reduce((sum, each) => sum + each, 0) <= width;
  let start = 0;
  while (selected >= 0 && start < selected && !fits(start, selected + 1)) start += 1;
  let end = start;
  while (end < widths.length && fits(start, end + 1)) end += 1;
  return { start, end: Math.max(end, Math.min(widths.length, start + 1)) };
}
