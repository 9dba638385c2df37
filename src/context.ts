import { createStyle, detectTerminal, type Style, type Terminal } from './io/terminal.js';

/** Flags every command accepts (declared once on the root program). */
export interface GlobalOptions {
  profile?: string;
  region?: string;
  endpointUrl?: string;
  json: boolean;
  /** Commander turns --no-input into input=false. */
  input: boolean;
  color: boolean;
}

/** What every command gets. Built once in main.ts; tests build their own. */
export interface Context {
  readonly globals: GlobalOptions;
  readonly term: Terminal;
  readonly style: Style;
  readonly env: NodeJS.ProcessEnv;
  /** Write to stdout (results). */
  out(text: string): void;
  /** Write to stderr (progress, warnings, errors). */
  err(text: string): void;
}

export function createContext(globals: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Context {
  const term = detectTerminal({ noInput: !globals.input, noColor: !globals.color, env });
  const style = createStyle(term.color && !globals.json);
  return {
    globals,
    term,
    style,
    env,
    out: (text) => {
      term.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    err: (text) => {
      term.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    },
  };
}
