import type { Context } from '../context.js';
import { ExitCode } from '../errors.js';
import { EXIT_CANCELLED } from '../prompt/prompter.js';
import type { MenuItem } from '../ui/menu-state.js';
import { FirstFrame } from '../ui/first-frame.js';
import { menuFrame, menuSize } from '../ui/frames.js';
import type { RunInkOptions } from '../ui/ink-session.js';
import { loadScreens } from '../ui/load-screens.js';
import { releaseStdin } from '../ui/terminal-screen.js';

/** What the home screen offers. The values are stable: tests and the dispatch table below use them. */
export type HomeChoice = 'setup' | 'fix' | 'guide' | 'quit';

export const HOME_ITEMS: readonly MenuItem<HomeChoice>[] = [
  { value: 'setup', label: 'Set up CodeDeploy', description: 'Roles, instance profile, application and deployment group, step by step.' },
  { value: 'fix', label: 'Fix a failed deployment', description: 'Find the latest failed deployment, name the cause and offer the fix.' },
  { value: 'guide', label: 'Browse the troubleshooting guide', description: 'Search the offline articles as you type.' },
  { value: 'quit', label: 'Quit', description: 'Leave cd-wizard.' },
];

/**
 * What a choice does after the menu has closed: the terminal is back to normal and stdin is ready for
 * @inquirer/prompts (runHome releases it afterwards). Each runs the same flow as the command itself.
 */
const NEXT_STEPS: Record<Exclude<HomeChoice, 'guide'>, (ctx: Context) => Promise<number>> = {
  setup: async (ctx) => (await import('./setup/setup.js')).runSetup(ctx, {}),
  fix: async (ctx) => (await import('./fix/fix.js')).runFix(ctx, {}),
  quit: async () => ExitCode.Ok,
};

type Screens = typeof import('../ui/screens.js');

const MENU = { title: 'cd-wizard', question: 'What would you like to do?', items: HOME_ITEMS };

/**
 * The menu in the alternate screen (its first frame is already drawn). The guide opens in the same screen and
 * comes back to the menu when the user leaves it. Resolves the choice to act on, or undefined after Ctrl-C.
 */
async function chooseInMenu(ctx: Context, screens: Screens, first: FirstFrame): Promise<Exclude<HomeChoice, 'guide'> | undefined> {
  return screens.withAltScreen(
    ctx.term.stdout,
    async () => {
      // ink draws over the first frame once; the menu shown again after the guide starts on a clean screen.
      let options: RunInkOptions = { more: true, takeOver: () => first.handOver() };
      for (;;) {
        const picked = await screens.showMenu(ctx.term, MENU, options);
        options = { more: true };
        if (picked === undefined) return undefined;
        if (picked !== 'guide') return picked === 'cancel' ? 'quit' : picked;
        const [{ runGuideTui }, { loadBundledKb }] = await Promise.all([import('./guide/tui.js'), import('../kb/kb.js')]);
        if ((await runGuideTui(ctx, loadBundledKb, { embedded: true })) === screens.EXIT_INTERRUPTED) return undefined;
      }
    },
    first.screen,
  );
}

/** `cd-wizard` with no arguments on a terminal: a small menu, drawn before ink loads; 130 after Ctrl-C. */
export async function runHome(ctx: Context): Promise<number> {
  const first = FirstFrame.show(ctx.term, (columns, rows) => menuFrame({ ...menuSize(columns, rows), ...MENU, selected: 0 }));
  try {
    let choice: Exclude<HomeChoice, 'guide'> | undefined;
    try {
      choice = await chooseInMenu(ctx, await loadScreens(), first);
    } finally {
      first.handOver();
      first.screen.leave();
      if (ctx.term.stdin.isTTY) ctx.term.stdin.setRawMode(false);
    }
    return choice === undefined ? EXIT_CANCELLED : await NEXT_STEPS[choice](ctx);
  } finally {
    releaseStdin(ctx.term.stdin);
  }
}
