import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import type { Kb } from '../../kb/kb.js';
import { loadScreens } from '../../ui/load-screens.js';

export interface GuideTuiOptions {
  /**
   * The caller already runs in the alternate screen and shows more screens afterwards (the home menu):
   * do not enter or leave the alternate screen, and keep stdin usable.
   */
  embedded?: boolean;
}

/**
 * The full-screen guide (`cd-wizard guide` on a terminal). ink and react load here, on demand, so the
 * plain guide, --help and --version never pay for them; the markdown renderer loads when the first article opens.
 * Returns 0 when the user leaves with Esc, 130 after Ctrl-C.
 */
export async function runGuideTui(ctx: Context, kb: Kb, options: GuideTuiOptions = {}): Promise<number> {
  const screens = await loadScreens();
  const streams = ctx.term;
  const loadRenderer = async () => (await import('../../kb/render.js')).renderArticle;
  const show = () => screens.showGuide(streams, { kb, color: ctx.style.enabled, loadRenderer }, { more: options.embedded === true });
  if (options.embedded) return (await show()) === undefined ? screens.EXIT_INTERRUPTED : ExitCode.Ok;
  try {
    const result = await screens.withAltScreen(streams.stdout, show);
    return result === undefined ? screens.EXIT_INTERRUPTED : ExitCode.Ok;
  } finally {
    screens.releaseStdin(streams.stdin);
  }
}
