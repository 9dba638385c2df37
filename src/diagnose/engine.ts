/**
 * Data-driven diagnosis: the rules come from the articles' front matter, the engine only matches (see
 * src/diagnose/README.md for the API and how a rule's conditions are read). It streams — a 50 MB agent log is
 * read chunk by chunk, never held whole — runs in time linear in its input, and is pure: no terminal, no AWS.
 *
 * Speed: one case-insensitive scan of each chunk for the words any rule, condition or fact needs finds the few
 * lines worth a closer look; the polling noise that makes up most of an agent log is only counted.
 */
import { assemble, type Finding } from './assemble.js';
import { buildByteGate, type ByteGate } from './byte-gate.js';
import { factsOf, type LineFacts } from './facts.js';
import { addFacts, addHit, FRAME_SPAN, newFrame, resolveFrame, type Frame, type Resolved } from './frames.js';
import { ChunkIntake, type GateSource, type Work } from './intake.js';
import { LineReader, type LogicalLine } from './lines.js';
import { passes } from './literal.js';
import type { RedactOptions } from './redact.js';
import { CHUNK_GATE_WORDS, compilePattern, compileRules, gateFor, gateWords, type CompiledPattern, type CompiledRule } from './rules.js';

export { compilePattern, compileRules };
export type { CompiledRule };
export type { ChosenOver, Evidence, Finding } from './assemble.js';
export type { Work } from './intake.js';

export interface Diagnosis {
  findings: Finding[];
  recognised: boolean;
  linesRead: number;
}

/** What the caller already knows about the text: online, the lifecycle event a log tail belongs to. */
export interface EventContext {
  event?: string | undefined;
  exitCode?: number | undefined;
  errorCode?: string | undefined;
  script?: string | undefined;
}

export interface DiagnoseOptions extends RedactOptions {
  context?: EventContext | undefined;
}

/**
 * Lines outside any event are held this long before they count as unmarked: an event's name often comes after
 * its message (the console's event details end with "Log tail: LifecycleEvent - ApplicationStop").
 */
const LOOKBACK = 8;

interface HeldLine {
  line: LogicalLine;
  facts: LineFacts | undefined;
  hits: Array<{ rule: CompiledRule; found: RegExpExecArray }>;
}

/** Resolved frames kept before `end` (a long log with thousands of failed events resolves early beyond this). */
const MAX_OPEN_RESULTS = 2000;

interface Prepared {
  matching: CompiledRule[];
  refiners: CompiledRule[];
  context: CompiledPattern[];
  matchGate: RegExp | undefined;
  contextGate: RegExp | undefined;
  chunkGate: RegExp | undefined;
}

/** What a diagnoser derives from a rule set, computed once per rule set (online fix diagnoses many small pieces). */
const preparedCache = new WeakMap<CompiledRule[], Prepared>();
function prepare(rules: CompiledRule[]): Prepared {
  let prepared = preparedCache.get(rules);
  if (!prepared) {
    const matching = rules.filter((compiled) => compiled.match.length > 0);
    const context = rules.flatMap((compiled) => [...compiled.requires, ...compiled.unless]);
    prepared = {
      matching,
      refiners: rules.filter((compiled) => compiled.match.length === 0 && compiled.triggers.size > 0),
      context,
      matchGate: gateFor(matching.flatMap((compiled) => compiled.match)),
      contextGate: gateFor(context),
      chunkGate: gateFor([...matching.flatMap((compiled) => compiled.match), ...context], CHUNK_GATE_WORDS, 'gi'),
    };
    preparedCache.set(rules, prepared);
  }
  return prepared;
}

/** Feed text in chunks with `push` (or bytes with `pushBytes`), then call `end` for the result. */
export class Diagnoser implements GateSource {
  readonly work: Work = { chars: 0, lines: 0, gateChars: 0, cleanedLines: 0, cleanedChars: 0, slowLines: 0, regexRuns: 0, regexChars: 0 };
  private readonly reader: LineReader;
  private readonly contextSeen = new Set<CompiledPattern>();
  /** requires/unless patterns not seen yet; each is dropped once it has matched, so it stops costing time. */
  private contextPending: CompiledPattern[];
  private readonly matching: CompiledRule[];
  private readonly refiners: CompiledRule[];
  private readonly matchGate: RegExp | undefined;
  private contextGate: RegExp | undefined;
  /** Case-insensitive, global: any word worth a closer look (undefined: every line is looked at). */
  chunkGate: RegExp | undefined;
  /** The same words as a byte automaton, for input read as bytes (built on first use; null: to build again). */
  private builtByteGate: ByteGate | undefined | null = null;
  private readonly intake: ChunkIntake;
  private readonly defaultFrame: Frame;
  private current: Frame;
  private readonly frames: Frame[] = [];
  private readonly early: Resolved[] = [];
  private held: HeldLine[] = [];

  constructor(
    rules: CompiledRule[],
    private readonly options: DiagnoseOptions = {},
  ) {
    const prepared = prepare(rules);
    this.matching = prepared.matching;
    this.refiners = prepared.refiners;
    this.reader = new LineReader((line) => this.onLine(line));
    this.intake = new ChunkIntake(this.reader, this, this.work);
    this.contextPending = prepared.context;
    this.matchGate = prepared.matchGate;
    this.contextGate = prepared.contextGate;
    this.chunkGate = prepared.chunkGate;
    const context = options.context;
    this.defaultFrame = newFrame(context?.event, context?.event !== undefined, 0, context !== undefined);
    if (context?.exitCode !== undefined) this.defaultFrame.exitCodes.push(context.exitCode);
    if (context?.errorCode) this.defaultFrame.errorCodes.push(context.errorCode);
    this.defaultFrame.script = context?.script;
    this.current = this.defaultFrame;
  }

  /** Text in, chunk by chunk (split anywhere, even inside a line). */
  push(chunk: string): void {
    this.intake.push(chunk);
  }

  /**
   * Bytes in (UTF-8, e.g. a file read without an encoding): only the lines worth a closer look are decoded.
   * Do not mix with `push` on the same diagnoser.
   */
  pushBytes(chunk: Uint8Array): void {
    this.intake.pushBytes(chunk);
  }

  end(): Diagnosis {
    this.intake.end();
    this.reader.end();
    this.releaseHeld();
    this.closeCurrent();
    if (this.defaultFrame.hits.size > 0) this.frames.push(this.defaultFrame);
    const resolved = [...this.early, ...this.frames.flatMap((frame) => this.resolve(frame))];
    const findings = assemble(resolved, this.options);
    return { findings, recognised: findings.length > 0, linesRead: this.reader.lines };
  }

  /** The chunk gate's words as a byte automaton (undefined: every line), built again after context narrowed them. */
  byteGate(): ByteGate | undefined {
    if (this.builtByteGate === null) {
      const words = gateWords([...this.matching.flatMap((compiled) => compiled.match), ...this.contextPending], CHUNK_GATE_WORDS);
      this.builtByteGate = words ? buildByteGate(words) : undefined;
    }
    return this.builtByteGate;
  }

  get byteGateStale(): boolean {
    return this.builtByteGate === null;
  }

  private onLine(line: LogicalLine): void {
    this.work.slowLines += 1;
    const { text } = line;
    const lower = text.toLowerCase();
    const facts = factsOf(text, lower);
    this.frameFor(line, facts);
    if (this.contextPending.length > 0 && (!this.contextGate || this.test(this.contextGate, lower))) this.matchContext(text, lower);
    const hits: HeldLine['hits'] = [];
    if (!this.matchGate || this.test(this.matchGate, lower)) {
      for (const compiled of this.matching) {
        for (const pattern of compiled.match) {
          if (pattern.prefilter && !passes(pattern.prefilter, lower)) continue;
          this.work.regexRuns += 1;
          this.work.regexChars += text.length;
          const found = pattern.regex.exec(text);
          if (!found) continue;
          hits.push({ rule: compiled, found });
          break;
        }
      }
    }
    if (this.current === this.defaultFrame && !this.current.pinned) {
      this.hold({ line, facts, hits });
      return;
    }
    if (facts) addFacts(this.current, facts, line.lineNumber);
    for (const hit of hits) addHit(this.current, hit.rule, line, hit.found);
  }

  /** Keeps `current` on the frame this line belongs to, opening and closing event frames as the text moves on. */
  private frameFor(line: LogicalLine, facts: LineFacts | undefined): void {
    if (this.current.marked && !this.current.pinned && line.lineNumber - this.current.lastLine > FRAME_SPAN) this.closeCurrent();
    const event = facts?.event;
    if (!event || this.current.pinned || this.current.event === event.name || (!event.strong && this.current.marked)) return;
    const fromUnmarked = this.current === this.defaultFrame;
    this.closeCurrent();
    this.current = newFrame(event.name, true, line.lineNumber);
    // The lines just before it, with nothing in between, belong to the same event's record.
    if (fromUnmarked) this.adoptHeld(line.lineNumber);
  }

  /** Holds an unmarked line back for a while, in case the event it belongs to is named a few lines later. */
  private hold(entry: HeldLine): void {
    const last = this.held[this.held.length - 1];
    if (last && last.line.lineNumber + last.line.physicalLines !== entry.line.lineNumber) this.releaseHeld();
    this.held.push(entry);
    if (this.held.length > LOOKBACK) this.commit(this.defaultFrame, this.held.shift() as HeldLine);
  }

  private adoptHeld(lineNumber: number): void {
    const last = this.held[this.held.length - 1];
    if (!last || last.line.lineNumber + last.line.physicalLines !== lineNumber) {
      this.releaseHeld();
      return;
    }
    for (const entry of this.held) this.commit(this.current, entry);
    this.held = [];
  }

  private releaseHeld(): void {
    for (const entry of this.held) this.commit(this.defaultFrame, entry);
    this.held = [];
  }

  private commit(frame: Frame, entry: HeldLine): void {
    if (entry.facts) addFacts(frame, entry.facts, entry.line.lineNumber);
    for (const hit of entry.hits) addHit(frame, hit.rule, entry.line, hit.found);
  }

  private closeCurrent(): void {
    const frame = this.current;
    if (frame === this.defaultFrame) return;
    this.current = this.defaultFrame;
    if (frame.hits.size === 0) return;
    if (this.frames.length >= MAX_OPEN_RESULTS) this.early.push(...this.resolve(this.frames.shift() as Frame));
    this.frames.push(frame);
  }

  private resolve(frame: Frame): Resolved[] {
    return resolveFrame(frame, this.refiners, (compiled) => this.contextOk(compiled));
  }

  private contextOk(compiled: CompiledRule): boolean {
    return compiled.requires.every((pattern) => this.contextSeen.has(pattern)) && !compiled.unless.some((pattern) => this.contextSeen.has(pattern));
  }

  private matchContext(text: string, lower: string): void {
    let seenNew = false;
    for (const pattern of this.contextPending) {
      if (pattern.prefilter && !passes(pattern.prefilter, lower)) continue;
      this.work.regexRuns += 1;
      this.work.regexChars += text.length;
      if (pattern.regex.test(text)) {
        this.contextSeen.add(pattern);
        seenNew = true;
      }
    }
    if (seenNew) {
      this.contextPending = this.contextPending.filter((pattern) => !this.contextSeen.has(pattern));
      this.contextGate = gateFor(this.contextPending);
      this.chunkGate = this.buildChunkGate();
      this.builtByteGate = null;
    }
  }

  private test(gate: RegExp, lower: string): boolean {
    this.work.regexRuns += 1;
    this.work.regexChars += lower.length;
    return gate.test(lower);
  }

  private buildChunkGate(): RegExp | undefined {
    return gateFor([...this.matching.flatMap((compiled) => compiled.match), ...this.contextPending], CHUNK_GATE_WORDS, 'gi');
  }
}

/** Convenience for whole strings (a pasted message, one piece of online evidence with its context). */
export function diagnoseText(rules: CompiledRule[], text: string, options: DiagnoseOptions = {}): Diagnosis {
  const diagnoser = new Diagnoser(rules, options);
  diagnoser.push(text);
  return diagnoser.end();
}
