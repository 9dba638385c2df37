import type { Context } from '../context.js';
import { ExitCode } from '../errors.js';
import { claimEarlyFrame, FirstFrame, type EarlyFrame } from '../ui/first-frame.js';
import { menuFrame, menuSize } from '../ui/frames.js';
import type { RunInkOptions } from '../ui/ink-session.js';
import { loadScreens } from '../ui/load-screens.js';
import { readPaste } from '../ui/paste-input.js';
import { releaseStdin } from '../ui/terminal-screen.js';
import { HOME_MENU, type HomeChoice } from './home-menu.js';

/**
 * What a choice does after the menu has closed: the terminal is back to normal and stdin is ready for
 * @inquirer/prompts (runHome releases it afterwards). Each runs the same flow as the command itself.
 */
const NEXT_STEPS: Record<Exclude<HomeChoice, 'guide'>, (ctx: Context) => Promise<number>> = {
  setup: async (ctx) => (await import('./setup/setup.js')).runSetup(ctx, {}),
  fix: async (ctx) => (await import('./fix/fix.js')).runFix(ctx, {}),
  diagnose: diagnosePasted,
  quit: async () => ExitCode.Ok,
};

/**
 * The offline diagnosis of `cd-wizard fix --message` / `--log -`, on text pasted into the terminal: it reads
 * until Enter on an empty line or Ctrl-D (blank lines inside a paste are kept), then prints the same report.
 */
async function diagnosePasted(ctx: Context): Promise<number> {
  const { style } = ctx;
  ctx.err(style.bold('Diagnose a pasted error or log') + style.dim(' (offline: nothing leaves this machine)'));
  ctx.err(style.dim('Paste an error message or agent log lines below.'));
  ctx.err(style.dim('End with Enter on an empty line (or Ctrl-D); Esc cancels.'));
  const text = await readPaste(ctx.term);
  if (text === undefined) {
    ctx.err('Cancelled; nothing was diagnosed.');
    return ExitCode.Interrupted;
  }
  if (text.trim() === '') {
    ctx.err('Nothing was pasted, so there is nothing to diagnose. Try again with: cd-wizard fix --log -');
    return ExitCode.Ok;
  }
  return (await import('./fix/fix.js')).runFix(ctx, { message: text });
}

type Screens = typeof import('../ui/screens.js');


/**
 * The menu in the alternate screen (its first frame is already drawn). The guide opens in the same screen and
 * comes back to the menu when the user leaves it. Resolves the choice to act on, or undefined after Ctrl-C.
 */
async function chooseInMenu(ctx: Context, screens: Screens, first: EarlyFrame): Promise<Exclude<HomeChoice, 'guide'> | undefined> {
  return screens.withAltScreen(
    ctx.term.stdout,
    async () => {
      // ink draws over the first frame once; the menu shown again after the guide starts on a clean screen.
      let options: RunInkOptions = { more: true, takeOver: () => first.handOver() };
      for (;;) {
        const picked = await screens.showMenu(ctx.term, HOME_MENU, options);
        options = { more: true };
        if (picked === undefined) return undefined;
        if (picked !== 'guide') return picked === 'cancel' ? 'quit' : picked;
        const { runGuideTui } = await import('./guide/tui.js');
        if ((await runGuideTui(ctx, { embedded: true })) === ExitCode.Interrupted) return undefined;
      }
    },
    first.screen,
  );
}

/** `cd-wizard` with no arguments on a terminal: a small menu, drawn before ink loads; 130 after Ctrl-C. */
export async function runHome(ctx: Context): Promise<number> {
  const first = claimEarlyFrame('home') ?? FirstFrame.show(ctx.term, (columns, rows) => menuFrame({ ...menuSize(columns, rows), ...HOME_MENU, selected: 0 }));
  try {
    let choice: Exclude<HomeChoice, 'guide'> | undefined;
    try {
      choice = await chooseInMenu(ctx, await loadScreens(), first);
    } finally {
      first.handOver();
      first.screen.leave();
      if (ctx.term.stdin.isTTY) ctx.term.stdin.setRawMode(false);
    }
    return choice === undefined ? ExitCode.Interrupted : await NEXT_STEPS[choice](ctx);
  } finally {
    releaseStdin(ctx.term.stdin);
  }
}
