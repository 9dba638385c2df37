import { HOME_MENU } from './commands/home-menu.js';
import { detectTerminal } from './io/terminal.js';
import { loadBundledHead } from './kb/head.js';
import { FirstFrame, setEarlyFrame, type FirstFrameView } from './ui/first-frame.js';
import { menuFrame, menuSize } from './ui/frames.js';
import { firstGuideFrame } from './ui/guide-frame.js';

/**
 * The bundle's second entry point (dist/first-frame.js), beside main.ts. bin/ loads it for exactly `cd-wizard` and
 * `cd-wizard guide`: on a terminal where they open full screen, it draws their first frame before the CLI
 * (commander, the command modules) has even loaded. runHome and runGuideTui claim the frame and carry on from it.
 * It lives here rather than in ui/ because it joins the home menu's data (a command's) with the UI's frames.
 * It decides "full screen" as main.ts does for these two argument lists (a terminal that can prompt, not CI).
 */
export function showEarlyFrame(view: FirstFrameView): void {
  const term = detectTerminal({ env: process.env });
  if (!term.canPrompt) return;
  const draw =
    view === 'home'
      ? (columns: number, rows: number) => menuFrame({ ...menuSize(columns, rows), ...HOME_MENU, selected: 0 })
      : ((head) => (columns: number, rows: number) => firstGuideFrame(head, columns, rows, term.color))(loadBundledHead());
  setEarlyFrame(view, FirstFrame.show(term, draw));
}
