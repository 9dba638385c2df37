/**
 * A pseudo-terminal harness for end-to-end tests of the BUILT binary (run `npm run build` first; `npm test`
 * does). It spawns `node bin/cd-wizard.js …` in node-pty and feeds everything it prints into a headless xterm,
 * so tests assert on what a user would see on the screen.
 *
 *   const cli = spawnCli(['guide'], { cols: 80, rows: 24 });
 *   await cli.waitFor('Search:');                 // polls the screen; on timeout the error shows the screen
 *   await cli.type('missing cred');               // one character per write
 *   await cli.press('down', 'enter');             // one key per write: names in KEYS, ctrl-<letter>, a character
 *   expect(cli.screen()).toContain('…');          // also lines(), highlightedText(), raw(), inAltScreen()
 *   cli.resize(100, 30);
 *   await cli.press('ctrl-c');
 *   expect((await cli.exited()).exitCode).toBe(130);
 *   cli.dispose();                                // in afterEach: kills the program if it still runs
 *
 * Why one key per write: ink delivers a multi-byte chunk as ONE input event ("z\r" is not z then Enter), so
 * keys written together are misread. (A busy program can still read two quick keys as one chunk; the CLI's
 * screens split chunks back into keys, see src/ui/use-keys.ts, but other programs may not.)
 * The child's environment drops CI, NO_COLOR, FORCE_COLOR, NODE_OPTIONS and vitest's variables (CI would make
 * the CLI non-interactive and ink print frames as plain lines), and sets TERM=xterm-256color.
 * spawnInPty() runs any program, e.g. `sh -c 'stty -g; node bin/cd-wizard.js guide; stty -g'`.
 */
import { join } from 'node:path';
import xterm from '@xterm/headless';
import { spawn, type IPty } from 'node-pty';

// @xterm/headless is CommonJS: named ESM imports fail, the default export carries the classes.
const { Terminal } = xterm;
type XTerm = InstanceType<typeof Terminal>;

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'cd-wizard.js');

/** Named keys press() understands, and the bytes a terminal sends for them. Also: any single character, and ctrl-<letter>. */
export const KEYS = {
  enter: '\r',
  esc: '\u001b',
  tab: '\t',
  'shift-tab': '\u001b[Z',
  backspace: '\u007f',
  space: ' ',
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  home: '\u001b[H',
  end: '\u001b[F',
  pgup: '\u001b[5~',
  pgdn: '\u001b[6~',
  delete: '\u001b[3~',
} as const;

export type KeyName = keyof typeof KEYS | `ctrl-${string}` | (string & {});

/** The bytes for a key name: a named key, `ctrl-a`…`ctrl-z`, or a single character sent as is. */
export function keyBytes(name: KeyName): string {
  if (name in KEYS) return KEYS[name as keyof typeof KEYS];
  const ctrl = /^ctrl-([a-z])$/.exec(name);
  if (ctrl?.[1]) return String.fromCharCode(ctrl[1].charCodeAt(0) - 96);
  if ([...name].length === 1) return name;
  throw new Error(`press(): unknown key "${name}" (use a name from KEYS, ctrl-<letter> or one character)`);
}

export interface SpawnOptions {
  cols?: number;
  rows?: number;
  /** Added to the environment; undefined removes a variable. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Pause after each key press() or type() writes (ms). Default 40. */
  keyDelayMs?: number;
}

export interface ExitStatus {
  exitCode: number;
  signal: number | undefined;
}

export interface CliSession {
  /** The visible screen, one line per row, trailing spaces trimmed. */
  screen(): string;
  /** The visible rows. */
  lines(): string[];
  /** Highlighted text: runs of cells in inverse video or on a coloured background (selections, find matches). */
  highlightedText(): string[];
  /** Everything the program wrote so far, escape sequences included. */
  raw(): string;
  /** Whether the screen is the alternate (full-screen) buffer. */
  inAltScreen(): boolean;
  /** Resolves once the screen contains `pattern`; rejects with the screen when it times out or the program exits first. */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves once `check(screen)` is true (same rules as waitFor). */
  waitUntil(check: (screen: string) => boolean, description: string, timeoutMs?: number): Promise<void>;
  /** Presses keys one at a time, pausing after each. */
  press(...keys: KeyName[]): Promise<void>;
  /** Types text one character per write. */
  type(text: string): Promise<void>;
  /** Writes raw bytes in one write (for paste tests). */
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Settles when the program ends. */
  readonly exit: Promise<ExitStatus>;
  /** The exit status, or a rejection with the screen when the program is still running after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<ExitStatus>;
  /** Milliseconds since spawn. */
  elapsed(): number;
  /** Kills the program if it still runs and frees the terminal. Safe to call twice. */
  dispose(): void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Variables that change how the CLI behaves under test and must not leak in from the test runner. */
const SCRUBBED = ['CI', 'CD_WIZARD_NO_AUTORUN', 'NO_COLOR', 'FORCE_COLOR', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'NODE_OPTIONS'];

/** The environment the CLI runs with under test: this process's, minus SCRUBBED, plus `extra`. */
export function cliEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = { ...process.env, TERM: 'xterm-256color', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  for (const name of SCRUBBED) delete env[name];
  Object.assign(env, extra);
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function rowsOf(term: XTerm): string[] {
  const buffer = term.buffer.active;
  const rows: string[] = [];
  for (let y = 0; y < term.rows; y += 1) rows.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
  return rows;
}

function highlightedRuns(term: XTerm): string[] {
  const buffer = term.buffer.active;
  const runs: string[] = [];
  for (let y = 0; y < term.rows; y += 1) {
    const line = buffer.getLine(buffer.viewportY + y);
    if (!line) continue;
    let run = '';
    for (let x = 0; x <= term.cols; x += 1) {
      const cell = x < term.cols ? line.getCell(x) : undefined;
      if (cell && (cell.isInverse() || !cell.isBgDefault())) run += cell.getChars() || ' ';
      else if (run !== '') {
        runs.push(run.trimEnd());
        run = '';
      }
    }
  }
  return runs.filter((run) => run !== '');
}

/** Starts the built CLI, `node bin/cd-wizard.js …args`, in a pseudo-terminal. */
export function spawnCli(args: readonly string[], options: SpawnOptions = {}): CliSession {
  return spawnInPty(process.execPath, [BIN, ...args], options);
}

/** Starts any program in a pseudo-terminal (for example `sh -c '…'` to check the terminal state after the CLI). */
export function spawnInPty(file: string, args: readonly string[], options: SpawnOptions = {}): CliSession {
  const cols = options.cols ?? 80;
  const rows = options.rows ?? 24;
  const keyDelay = options.keyDelayMs ?? 40;
  const started = performance.now();
  const term = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 1000 });
  const pty: IPty = spawn(file, [...args], {
    name: 'xterm-256color',
    cols,
    rows,
    cwd: options.cwd ?? ROOT,
    env: cliEnv(options.env ?? {}),
  });
  const chunks: string[] = [];
  let exited: ExitStatus | undefined;
  let disposed = false;
  pty.onData((data) => {
    chunks.push(data);
    term.write(data);
  });
  // Answer the program's terminal queries (cursor position, device attributes) like a real terminal would.
  term.onData((data) => {
    if (!exited) pty.write(data);
  });
  const exit = new Promise<ExitStatus>((resolve) => {
    pty.onExit(({ exitCode, signal }) => {
      exited = { exitCode, signal: signal === 0 ? undefined : signal };
      // Let xterm parse the last output before anyone looks at the screen.
      term.write('', () => resolve(exited as ExitStatus));
    });
  });

  const screen = () => rowsOf(term).join('\n');

  async function waitUntil(check: (text: string) => boolean, description: string, timeoutMs = 5000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      // An empty write with a callback returns once xterm has parsed everything received so far.
      await new Promise<void>((resolve) => term.write('', resolve));
      if (check(screen())) return;
      if (exited) throw new Error(`the program exited (code ${exited.exitCode}) before the screen showed ${description}. Screen:\n${screen()}`);
      if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}. Screen:\n${screen()}`);
      await sleep(20);
    }
  }

  const writeKey = async (bytes: string) => {
    if (exited) throw new Error(`cannot send ${JSON.stringify(bytes)}: the program has exited (code ${exited.exitCode}). Screen:\n${screen()}`);
    pty.write(bytes);
    await sleep(keyDelay);
  };

  return {
    screen,
    lines: () => rowsOf(term),
    highlightedText: () => highlightedRuns(term),
    raw: () => chunks.join(''),
    inAltScreen: () => term.buffer.active.type === 'alternate',
    waitFor: (pattern, timeoutMs) =>
      waitUntil((text) => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)), JSON.stringify(String(pattern)), timeoutMs),
    waitUntil,
    async press(...keys) {
      for (const name of keys) await writeKey(keyBytes(name));
    },
    async type(text) {
      for (const ch of text) await writeKey(ch);
    },
    write: (data) => pty.write(data),
    resize(newCols, newRows) {
      pty.resize(newCols, newRows);
      term.resize(newCols, newRows);
    },
    exit,
    exited: (timeoutMs = 5000) =>
      new Promise<ExitStatus>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the program was still running after ${timeoutMs} ms. Screen:\n${screen()}`)), timeoutMs);
        void exit.then((status) => {
          clearTimeout(timer);
          resolve(status);
        });
      }),
    elapsed: () => performance.now() - started,
    dispose() {
      if (disposed) return;
      disposed = true;
      if (!exited) pty.kill();
      term.dispose();
    },
  };
}
