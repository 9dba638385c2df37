/**
 * The terminal's alternate screen and stdin hand-back, without ink: the first frame (drawn before ink loads) and
 * the ink screens share them. See src/ui/ink-session.ts for the stdin care ink needs.
 */

export const ESC = {
  altScreenEnter: '\u001b[?1049h',
  altScreenLeave: '\u001b[?1049l',
  cursorShow: '\u001b[?25h',
  cursorHide: '\u001b[?25l',
  clearHome: '\u001b[2J\u001b[H',
  home: '\u001b[H',
} as const;

/** The alternate screen while it is shown; leave() is safe to call twice and also runs if the process exits. */
export interface AltScreen {
  leave(): void;
}

export function enterAltScreen(stdout: NodeJS.WriteStream): AltScreen {
  let shown = true;
  const leave = () => {
    if (!shown) return;
    shown = false;
    process.off('exit', leave);
    stdout.write(ESC.altScreenLeave + ESC.cursorShow);
  };
  stdout.write(ESC.altScreenEnter + ESC.clearHome);
  process.once('exit', leave);
  return { leave };
}

/**
 * Runs `body` in the terminal's alternate screen (entered now, or already by a first frame) and always leaves it
 * with the cursor visible, also when `body` throws or the process exits under it. Nest screens inside one call.
 */
export async function withAltScreen<T>(stdout: NodeJS.WriteStream, body: () => Promise<T>, screen: AltScreen = enterAltScreen(stdout)): Promise<T> {
  try {
    return await body();
  } finally {
    screen.leave();
  }
}

/** After the last screen: let the process exit. */
export function releaseStdin(stdin: NodeJS.ReadStream): void {
  stdin.pause();
  stdin.unref();
}
