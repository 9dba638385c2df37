import { styleText } from 'node:util';

/** Facts about where we are running, decided once from the environment and global flags. */
export interface Terminal {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  /** stdout is a terminal: render for people (colour, symbols, pagers). */
  readonly isTty: boolean;
  /** We may ask questions: stdin and stdout are terminals, --no-input is not set, and CI is not set. */
  readonly canPrompt: boolean;
  readonly color: boolean;
  readonly columns: number;
  readonly rows: number;
}

export interface TerminalOptions {
  noInput?: boolean;
  noColor?: boolean;
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

export function detectTerminal(options: TerminalOptions = {}): Terminal {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const stdin = options.stdin ?? process.stdin;
  const isTty = Boolean(stdout.isTTY);
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  // NO_COLOR: any non-empty value turns colour off (the convention most terminal tools follow).
  const noColorEnv = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const forceColor = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== '';
  const color = !options.noColor && !noColorEnv && (isTty || forceColor) && env.TERM !== 'dumb';
  return {
    stdout,
    stderr,
    stdin,
    isTty,
    canPrompt: isTty && Boolean(stdin.isTTY) && !options.noInput && !ci,
    color,
    columns: stdout.columns && stdout.columns > 0 ? stdout.columns : 80,
    rows: stdout.rows && stdout.rows > 0 ? stdout.rows : 24,
  };
}

type Format = Parameters<typeof styleText>[0];

/** Colour helpers that become identity functions when colour is off. */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  /** Symbols degrade to ASCII-safe text only when colour is off AND the terminal is dumb; Unicode is fine in pipes. */
  readonly symbols: { readonly ok: string; readonly fail: string; readonly warn: string; readonly info: string; readonly bullet: string };
}

export function createStyle(enabled: boolean): Style {
  const wrap = (format: Format) => (text: string) => (enabled ? styleText(format, text) : text);
  return {
    enabled,
    bold: wrap('bold'),
    dim: wrap('dim'),
    red: wrap('red'),
    green: wrap('green'),
    yellow: wrap('yellow'),
    cyan: wrap('cyan'),
    symbols: { ok: '✓', fail: '✗', warn: '!', info: 'i', bullet: '•' },
  };
}
