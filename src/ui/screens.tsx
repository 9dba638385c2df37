import { GuideApp, type GuideAppProps, type GuideResult } from './GuideApp.js';
import { runInk, type InkStreams, type RunInkOptions } from './ink-session.js';
import { Menu, type MenuProps, type MenuResult } from './Menu.js';

/**
 * The ink screens as async functions, so commands (plain .ts) never touch JSX or ink directly. Load this
 * module with a dynamic import(): it pulls in ink and react.
 */
export { releaseStdin, withAltScreen } from './ink-session.js';
export type { ArticleRenderer } from './GuideApp.js';
export type { MenuItem } from './menu-state.js';

/** The interactive guide; resolves 'done' when the user leaves it, undefined on Ctrl-C. */
export function showGuide(streams: InkStreams, props: GuideAppProps, options: RunInkOptions = {}): Promise<GuideResult | undefined> {
  return runInk<GuideResult>(<GuideApp {...props} />, streams, { clear: true, ...options });
}

/** A menu; resolves the chosen value, 'cancel' for q/Esc, undefined on Ctrl-C. */
export function showMenu<V extends string>(streams: InkStreams, props: MenuProps<V>, options: RunInkOptions = {}): Promise<MenuResult<V> | undefined> {
  return runInk<MenuResult<V>>(<Menu {...props} />, streams, { clear: true, ...options });
}
