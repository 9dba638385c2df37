import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { loadBundledHead } from '../../kb/head.js';
import type { Kb } from '../../kb/kb.js';
import { claimEarlyFrame, FirstFrame, type EarlyFrame } from '../../ui/first-frame.js';
import { firstGuideFrame } from '../../ui/guide-frame.js';
import { loadScreens } from '../../ui/load-screens.js';
import { releaseStdin } from '../../ui/terminal-screen.js';

export interface GuideTuiOptions {
  /**
   * The caller already runs in the alternate screen, with ink loaded, and shows more screens afterwards (the home
   * menu): do not enter or leave the alternate screen, and keep stdin usable.
   */
  embedded?: boolean;
  /** Open this article in the pager (`guide --show` on a terminal); leaving it leaves the guide. */
  show?: string;
  /** The guide, when the caller has read it already (default: dist/kb.json, read after the first frame). */
  kb?: Kb;
}

const loadKb = async () => (await import('../../kb/kb.js')).loadBundledKb();

const loadRenderer = async () => (await import('../../kb/render.js')).renderArticle;

/**
 * The full-screen guide (`cd-wizard guide` on a terminal). Its first frame is drawn with plain strings at once,
 * from dist/kb-head.json; the articles and the search index are read while ink and react load, so the first
 * key typed searches at once (and keys typed before ink runs are kept for it). The markdown renderer loads when
 * the first article opens. Returns 0 when the user leaves with Esc, 130 after Ctrl-C.
 */
export async function runGuideTui(ctx: Context, options: GuideTuiOptions = {}): Promise<number> {
  const streams = ctx.term;
  const color = ctx.style.enabled;
  if (options.embedded) {
    const [screens, kb] = await Promise.all([loadScreens(), options.kb ?? loadKb()]);
    kb.prepareSearch();
    return (await screens.showGuide(streams, { kb, color, loadRenderer }, { more: true })) === undefined ? ExitCode.Interrupted : ExitCode.Ok;
  }
  let first: EarlyFrame | undefined;
  if (options.show === undefined) {
    first = claimEarlyFrame('guide');
    if (!first) {
      const head = loadBundledHead();
      first = FirstFrame.show(streams, (columns, rows) => firstGuideFrame(head, columns, rows, color));
    }
  }
  try {
    const loading = loadScreens();
    // While ink's modules load: the whole guide and its search index, so no key ever waits for them.
    const kb = options.kb ?? (await loadKb());
    kb.prepareSearch();
    const start = options.show === undefined ? undefined : { id: options.show, renderer: await loadRenderer() };
    const screens = await loading;
    const props = { kb, color, loadRenderer, ...(start ? { start } : {}) };
    const show = () => screens.showGuide(streams, props, first ? { takeOver: () => first.handOver() } : {});
    const result = await screens.withAltScreen(streams.stdout, show, first?.screen);
    return result === undefined ? ExitCode.Interrupted : ExitCode.Ok;
  } finally {
    first?.handOver();
    first?.screen.leave();
    if (streams.stdin.isTTY) streams.stdin.setRawMode(false);
    releaseStdin(streams.stdin);
  }
}
