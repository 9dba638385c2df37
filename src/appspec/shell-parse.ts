import { tokenize, type Redirect, type Token, type Word } from './shell-tokens.js';

/**
 * Shell tokens → the simple commands of a script, each with the facts the hook checks need: whether it runs in
 * the background, where its stdout and stderr go (its own redirections and those of enclosing groups), whether
 * its failure is handled (an if condition or branch, a later `||`), and which top-level list it belongs to.
 * Compound commands (if, while, for, case, { }, ( ), functions) are followed well enough for that; anything
 * stranger degrades to "a command with these words", never to an exception.
 */

export interface SimpleCommand {
  words: Word[];
  /** Its own redirections, in order. */
  redirects: Redirect[];
  /** Redirections of enclosing groups and compound commands, outermost first. */
  outer: Redirect[];
  line: number;
  column: number;
  /** Runs asynchronously: its and-or list, or an enclosing group, ends with `&`. */
  background: boolean;
  /** Its stdout feeds the next command of a pipeline. */
  pipedOut: boolean;
  /** In the condition of if/while/until, or a branch or body of one: its failure does not end the script by itself. */
  conditional: boolean;
  /** A later part of its and-or list runs when it fails (`cmd || true`). */
  orElse: boolean;
  /** Inside a function body. */
  inFunction: boolean;
  /** Index of the top-level list it belongs to (source order). */
  topList: number;
}

export interface ParsedScript {
  source: string;
  commands: SimpleCommand[];
  /** How many top-level and-or lists the script has; the last one decides its exit status. */
  topLists: number;
}

interface Context {
  conditional: boolean;
  inFunction: boolean;
  depth: number;
}

const SEPARATORS = new Set([';', '\n', '&']);
const LIST_END_OPS = new Set([')', ';;']);

export function parseScript(source: string): ParsedScript {
  const tokens = tokenize(source);
  const commands: SimpleCommand[] = [];
  let i = 0;
  let topList = -1;

  const peek = (): Token | undefined => tokens[i];
  const isOp = (token: Token | undefined, op: string) => token?.kind === 'op' && token.op === op;
  const isKeyword = (token: Token | undefined, ...names: string[]) => token?.kind === 'word' && !token.quoted && names.includes(token.text);
  const skipNewlines = () => {
    while (isOp(peek(), '\n') || isOp(peek(), ';')) i++;
  };
  const mark = (from: number, patch: (command: SimpleCommand) => void) => {
    for (const command of commands.slice(from)) patch(command);
  };
  const trailingRedirects = (from: number) => {
    const redirects: Redirect[] = [];
    let token = peek();
    while (token?.kind === 'redirect') {
      redirects.push(token);
      i++;
      token = peek();
    }
    if (redirects.length > 0) mark(from, (command) => command.outer.unshift(...redirects));
  };

  /** Parses lists until one of `terminators` (keywords at command position, or `)`/`;;`) or the end. */
  const parseSequence = (context: Context, terminators: readonly string[]): void => {
    for (;;) {
      skipNewlines();
      const token = peek();
      if (token === undefined) return;
      if (token.kind === 'op' && LIST_END_OPS.has(token.op)) return;
      if (isKeyword(token, ...terminators)) return;
      parseAndOr(context);
    }
  };

  const parseAndOr = (context: Context): void => {
    if (context.depth === 0) topList++;
    const from = commands.length;
    const starts: number[] = [];
    for (;;) {
      starts.push(commands.length);
      parsePipeline(context);
      const token = peek();
      if (isOp(token, '&&') || isOp(token, '||')) {
        // A failure of anything before `||` is handled by what follows it.
        if (isOp(token, '||')) mark(from, (command) => (command.orElse = true));
        i++;
        while (isOp(peek(), '\n')) i++;
        continue;
      }
      break;
    }
    const end = peek();
    if (isOp(end, '&')) mark(from, (command) => (command.background = true));
    if (end?.kind === 'op' && SEPARATORS.has(end.op)) i++;
  };

  const parsePipeline = (context: Context): void => {
    if (isKeyword(peek(), '!', 'time')) i++;
    for (;;) {
      const from = commands.length;
      parseCommand(context);
      if (!isOp(peek(), '|')) return;
      mark(from, (command) => (command.pipedOut = true));
      i++;
      while (isOp(peek(), '\n')) i++;
    }
  };

  const nested = (context: Context, conditional = context.conditional): Context => ({ ...context, conditional, depth: context.depth + 1 });

  const parseCommand = (context: Context): void => {
    const token = peek();
    if (token === undefined) return;
    const from = commands.length;
    if (isOp(token, '(')) {
      i++;
      parseSequence(nested(context), []);
      if (isOp(peek(), ')')) i++;
      trailingRedirects(from);
      return;
    }
    if (token.kind === 'word' && !token.quoted) {
      switch (token.text) {
        case '{':
          i++;
          parseSequence(nested(context), ['}']);
          if (isKeyword(peek(), '}')) i++;
          trailingRedirects(from);
          return;
        case 'if':
        case 'while':
        case 'until': {
          const closer = token.text === 'if' ? 'fi' : 'done';
          i++;
          parseSequence(nested(context, true), token.text === 'if' ? ['then'] : ['do']);
          while (isKeyword(peek(), 'then', 'elif', 'else', 'do')) {
            const part = peek() as Word;
            i++;
            parseSequence(nested(context, true), part.text === 'elif' ? ['then'] : ['elif', 'else', closer]);
          }
          if (isKeyword(peek(), closer)) i++;
          trailingRedirects(from);
          return;
        }
        case 'for':
        case 'select':
          while (peek() !== undefined && !isKeyword(peek(), 'do')) i++;
          i++;
          parseSequence(nested(context, true), ['done']);
          if (isKeyword(peek(), 'done')) i++;
          trailingRedirects(from);
          return;
        case 'case':
          while (peek() !== undefined && !isKeyword(peek(), 'in')) i++;
          i++;
          for (;;) {
            skipNewlines();
            if (peek() === undefined || isKeyword(peek(), 'esac')) break;
            // The pattern, up to its `)`.
            while (peek() !== undefined && !isOp(peek(), ')')) i++;
            i++;
            parseSequence(nested(context, true), ['esac']);
            if (isOp(peek(), ';;')) i++;
          }
          if (isKeyword(peek(), 'esac')) i++;
          trailingRedirects(from);
          return;
        case 'function':
          i += 2;
          if (isOp(peek(), '(') && isOp(tokens[i + 1], ')')) i += 2;
          skipNewlines();
          parseCommand({ ...nested(context), inFunction: true });
          return;
        default:
          if (isOp(tokens[i + 1], '(') && isOp(tokens[i + 2], ')')) {
            i += 3;
            skipNewlines();
            parseCommand({ ...nested(context), inFunction: true });
            return;
          }
      }
    }
    parseSimple(context);
  };

  const parseSimple = (context: Context): void => {
    const first = peek();
    const command: SimpleCommand = {
      words: [],
      redirects: [],
      outer: [],
      line: first?.line ?? 1,
      column: first?.column ?? 1,
      background: false,
      pipedOut: false,
      conditional: context.conditional,
      orElse: false,
      inFunction: context.inFunction,
      topList,
    };
    for (let token = peek(); token !== undefined; token = peek()) {
      if (token.kind === 'op') {
        // `arr=(a b)` and `$ (…)` oddities: swallow a parenthesised run inside a command.
        if (token.op === '(' && command.words.length > 0) {
          while (peek() !== undefined && !isOp(peek(), ')')) i++;
          i++;
          continue;
        }
        break;
      }
      if (token.kind === 'redirect') command.redirects.push(token);
      else command.words.push(token);
      i++;
    }
    // Nothing read means an operator is next; the list parsers step over it.
    if (command.words.length > 0 || command.redirects.length > 0) commands.push(command);
  };

  while (i < tokens.length) {
    const before = i;
    parseSequence({ conditional: false, inFunction: false, depth: 0 }, []);
    // A stray `)`, `;;` or keyword at the top level: step over it and go on.
    if (i === before) i++;
  }
  return { source, commands, topLists: topList + 1 };
}

/** Where a command's stdout and stderr end up: the hook's pipes, a file, or the next command of a pipeline. */
export interface Streams {
  stdout: 'hook' | 'file' | 'pipe';
  stderr: 'hook' | 'file' | 'pipe';
}

/** Applies redirections in order, the way the shell does (`> f 2>&1` sends both to f; `2>&1 > f` does not). */
export function applyRedirects(start: Streams, redirects: readonly Redirect[]): Streams {
  const fds: Record<number, Streams['stdout']> = { 1: start.stdout, 2: start.stderr };
  for (const redirect of redirects) {
    if (redirect.op === '<' || redirect.op === '<<' || redirect.op === '<<-' || redirect.op === '<<<' || redirect.op === '<&' || redirect.op === '<>') continue;
    if (redirect.op === '>&' && /^\d+$/.test(redirect.target)) {
      const source = fds[Number(redirect.target)];
      if (redirect.fd !== 'both' && source !== undefined) fds[redirect.fd] = source;
      continue;
    }
    if (redirect.op === '>&' && redirect.target === '-') {
      if (redirect.fd !== 'both') fds[redirect.fd] = 'file';
      continue;
    }
    // > >> >| to a file, &> f, and >&f (bash: both streams to f).
    if (redirect.fd === 'both' || redirect.op === '>&') {
      fds[1] = 'file';
      fds[2] = 'file';
    } else fds[redirect.fd] = 'file';
  }
  return { stdout: fds[1] ?? 'hook', stderr: fds[2] ?? 'hook' };
}
