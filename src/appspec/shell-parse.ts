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
const TOP: Context = { conditional: false, inFunction: false, depth: 0 };

const nested = (context: Context, conditional = context.conditional): Context => ({ ...context, conditional, depth: context.depth + 1 });

/** A recursive-descent reader over the tokens; one instance per script. */
class ScriptParser {
  readonly commands: SimpleCommand[] = [];
  private i = 0;
  /** The current top-level list (-1 before the first). */
  topList = -1;

  constructor(private readonly tokens: readonly Token[]) {}

  run(): void {
    while (this.i < this.tokens.length) {
      const before = this.i;
      this.sequence(TOP, []);
      // A stray `)`, `;;` or keyword at the top level: step over it and go on.
      if (this.i === before) this.i++;
    }
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  private isOp(op: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.kind === 'op' && token.op === op;
  }

  private isKeyword(names: readonly string[]): boolean {
    const token = this.peek();
    return token?.kind === 'word' && !token.quoted && names.includes(token.text);
  }

  private skipNewlines(): void {
    while (this.isOp('\n') || this.isOp(';')) this.i++;
  }

  /** Skips tokens up to (not past) the keyword, or to the end. */
  private skipTo(keyword: string): void {
    while (this.peek() !== undefined && !this.isKeyword([keyword])) this.i++;
  }

  /** Applies `patch` to every command read since index `from` (they belong to the construct being finished). */
  private mark(from: number, patch: (command: SimpleCommand) => void): void {
    for (const command of this.commands.slice(from)) patch(command);
  }

  /** Redirections after a group or compound command apply to every command inside it. */
  private trailingRedirects(from: number): void {
    const redirects: Redirect[] = [];
    for (let token = this.peek(); token?.kind === 'redirect'; token = this.peek()) {
      redirects.push(token);
      this.i++;
    }
    if (redirects.length > 0) this.mark(from, (command) => command.outer.unshift(...redirects));
  }

  /** Lists until one of `terminators` (keywords at command position), `)` or `;;`, or the end. */
  private sequence(context: Context, terminators: readonly string[]): void {
    for (;;) {
      this.skipNewlines();
      const token = this.peek();
      if (token === undefined || (token.kind === 'op' && LIST_END_OPS.has(token.op)) || this.isKeyword(terminators)) return;
      this.andOr(context);
    }
  }

  private andOr(context: Context): void {
    if (context.depth === 0) this.topList++;
    const from = this.commands.length;
    for (;;) {
      this.pipeline(context);
      if (!this.isOp('&&') && !this.isOp('||')) break;
      // A failure of anything before `||` is handled by what follows it.
      if (this.isOp('||')) this.mark(from, (command) => (command.orElse = true));
      this.i++;
      while (this.isOp('\n')) this.i++;
    }
    if (this.isOp('&')) this.mark(from, (command) => (command.background = true));
    const end = this.peek();
    if (end?.kind === 'op' && SEPARATORS.has(end.op)) this.i++;
  }

  private pipeline(context: Context): void {
    if (this.isKeyword(['!', 'time'])) this.i++;
    for (;;) {
      const from = this.commands.length;
      this.command(context);
      if (!this.isOp('|')) return;
      this.mark(from, (command) => (command.pipedOut = true));
      this.i++;
      while (this.isOp('\n')) this.i++;
    }
  }

  private command(context: Context): void {
    const token = this.peek();
    if (token === undefined) return;
    const from = this.commands.length;
    const keyword = token.kind === 'word' && !token.quoted ? token.text : undefined;
    if (token.kind === 'op' && token.op === '(') {
      this.group(context, ')');
    } else if (keyword === '{') {
      this.group(context, '}');
    } else if (keyword === 'if' || keyword === 'while' || keyword === 'until') {
      this.conditional(context, keyword);
    } else if (keyword === 'for' || keyword === 'select') {
      this.skipTo('do');
      this.i++;
      this.sequence(nested(context, true), ['done']);
      if (this.isKeyword(['done'])) this.i++;
    } else if (keyword === 'case') {
      this.caseBlock(context);
    } else if (keyword === 'function' || (this.isOp('(', 1) && this.isOp(')', 2))) {
      this.functionBody(context, keyword === 'function');
      return;
    } else {
      this.simple(context);
      return;
    }
    this.trailingRedirects(from);
  }

  /** `( … )` or `{ …; }`. */
  private group(context: Context, closer: ')' | '}'): void {
    this.i++;
    this.sequence(nested(context), closer === '}' ? ['}'] : []);
    if (closer === ')' ? this.isOp(')') : this.isKeyword(['}'])) this.i++;
  }

  /** if/elif/else/fi and while/until/do/done: the condition and the bodies are all "conditional". */
  private conditional(context: Context, keyword: 'if' | 'while' | 'until'): void {
    const closer = keyword === 'if' ? 'fi' : 'done';
    this.i++;
    this.sequence(nested(context, true), keyword === 'if' ? ['then'] : ['do']);
    while (this.isKeyword(['then', 'elif', 'else', 'do'])) {
      const part = (this.peek() as Word).text;
      this.i++;
      this.sequence(nested(context, true), part === 'elif' ? ['then'] : ['elif', 'else', closer]);
    }
    if (this.isKeyword([closer])) this.i++;
  }

  private caseBlock(context: Context): void {
    this.skipTo('in');
    this.i++;
    for (;;) {
      this.skipNewlines();
      if (this.peek() === undefined || this.isKeyword(['esac'])) break;
      // The pattern, up to its `)`.
      while (this.peek() !== undefined && !this.isOp(')')) this.i++;
      this.i++;
      this.sequence(nested(context, true), ['esac']);
      if (this.isOp(';;')) this.i++;
    }
    if (this.isKeyword(['esac'])) this.i++;
  }

  /** `name() body` or `function name [()] body`: the body's commands run only when called. */
  private functionBody(context: Context, withKeyword: boolean): void {
    this.i += withKeyword ? 2 : 3;
    if (withKeyword && this.isOp('(') && this.isOp(')', 1)) this.i += 2;
    this.skipNewlines();
    this.command({ ...nested(context), inFunction: true });
  }

  private simple(context: Context): void {
    const first = this.peek();
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
      topList: this.topList,
    };
    for (let token = this.peek(); token !== undefined; token = this.peek()) {
      if (token.kind === 'op') {
        if (token.op !== '(' || command.words.length === 0) break;
        // `arr=(a b)` and similar: swallow a parenthesised run inside a command.
        while (this.peek() !== undefined && !this.isOp(')')) this.i++;
        this.i++;
        continue;
      }
      if (token.kind === 'redirect') command.redirects.push(token);
      else command.words.push(token);
      this.i++;
    }
    // Nothing read means an operator is next; the list readers step over it.
    if (command.words.length > 0 || command.redirects.length > 0) this.commands.push(command);
  }
}

export function parseScript(source: string): ParsedScript {
  const parser = new ScriptParser(tokenize(source));
  parser.run();
  return { source, commands: parser.commands, topLists: parser.topList + 1 };
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
