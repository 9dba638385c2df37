/**
 * Data-driven diagnosis: the rules come from the articles' front matter, the engine only matches (see
 * src/diagnose/README.md for the API and how a rule's conditions are read). It streams — a 50 MB agent log is
 * read chunk by chunk, never held whole — runs in time linear in its input, and is pure: no terminal, no AWS.
 *
 * Speed: one case-insensitive scan of each chunk for the words any rule, condition or fact needs finds the few
 * lines worth a closer look; the polling noise that makes up most of an agent log is only counted.
 */
import { assemble, type Finding } from './assemble.js';
import { buildByteGate, scanLines, type ByteGate } from './byte-gate.js';
import { factsOf, type LineFacts } from './facts.js';
import { addFacts, addHit, FRAME_SPAN, newFrame, resolveFrame, type Frame, type Resolved } from './frames.js';
import { LineReader, MAX_LINE_LENGTH, WRAP_WIDTHS, type LogicalLine } from './lines.js';
import { passes } from './literal.js';
import type { RedactOptions } from './redact.js';
import { CHUNK_GATE_WORDS, compilePattern, compileRules, gateFor, gateWords, type CompiledPattern, type CompiledRule } from './rules.js';

export { compilePattern, compileRules };
export type { CompiledRule };
export type { ChosenOver, Evidence, Finding } from './assemble.js';

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

/** Work done, for the fuzz tests' linearity checks (every count grows at most linearly with the input). */
export interface Work {
  /** Characters pushed in. */
  chars: number;
  /** Physical lines. */
  lines: number;
  /** Characters the chunk gate scanned. */
  gateChars: number;
  /** Physical lines, and their characters, handed to the line cleaner (unescaping, wrap joining). */
  cleanedLines: number;
  cleanedChars: number;
  /** Logical lines that were matched. */
  slowLines: number;
  /** Pattern executions on those lines, and the characters they were run on. */
  regexRuns: number;
  regexChars: number;
}

/** A gate that reports every line (when some pattern has no literal words to look for). */
const EVERY_LINE: ByteGate = { table: new Int32Array(256).fill(-1) };

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

/** Feed text in chunks with `push`, then call `end` for the result. */
export class Diagnoser {
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
  private chunkGate: RegExp | undefined;
  /** The same words as a byte automaton, for input read as bytes (built on first use). */
  private byteGate: ByteGate | undefined | null = null;
  private byteCarry: Uint8Array | undefined;
  private readonly defaultFrame: Frame;
  private current: Frame;
  private readonly frames: Frame[] = [];
  private readonly early: Resolved[] = [];
  private held: HeldLine[] = [];
  private carry = '';
  private previousLine = '';
  private previousRawLength = 0;

  constructor(
    rules: CompiledRule[],
    private readonly options: DiagnoseOptions = {},
  ) {
    const prepared = prepare(rules);
    this.matching = prepared.matching;
    this.refiners = prepared.refiners;
    this.reader = new LineReader((line) => this.onLine(line));
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

  push(chunk: string): void {
    this.work.chars += chunk.length;
    const data = this.carry + chunk;
    const last = data.lastIndexOf('\n');
    if (last < 0) {
      // A file with no newlines at all must not grow without bound.
      if (data.length > MAX_LINE_LENGTH * 2) {
        this.scan(data, data.length);
        this.carry = '';
      } else {
        this.carry = data;
      }
      return;
    }
    this.scan(data, last);
    this.carry = data.slice(last + 1);
  }

  /**
   * Bytes in (UTF-8, e.g. a file read without an encoding): only the lines worth a closer look are decoded.
   * Do not mix with `push` on the same diagnoser.
   */
  pushBytes(chunk: Uint8Array): void {
    this.work.chars += chunk.length;
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let from = 0;
    if (this.byteCarry) {
      // The line split across chunks: joined on its own, so the chunk itself is never copied.
      const newline = bytes.indexOf(10);
      if (newline < 0) {
        this.byteCarry = Buffer.concat([this.byteCarry, bytes]);
        if (this.byteCarry.length > MAX_LINE_LENGTH * 8) this.flushByteCarry();
        return;
      }
      const first = Buffer.concat([this.byteCarry, bytes.subarray(0, newline)]);
      this.byteCarry = undefined;
      this.scanBytes(first, 0, first.length);
      from = newline + 1;
    }
    const last = bytes.lastIndexOf(10);
    if (last >= from) this.scanBytes(bytes, from, last);
    const rest = last >= from ? last + 1 : from;
    if (rest < bytes.length) this.byteCarry = Buffer.from(bytes.subarray(rest));
    if (this.byteCarry && this.byteCarry.length > MAX_LINE_LENGTH * 8) this.flushByteCarry();
  }

  private flushByteCarry(): void {
    const carry = this.byteCarry;
    this.byteCarry = undefined;
    if (carry && carry.length > 0) this.scanBytes(carry, 0, carry.length);
  }

  end(): Diagnosis {
    this.flushByteCarry();
    if (this.carry !== '') this.scan(this.carry, this.carry.length);
    this.carry = '';
    this.reader.end();
    this.releaseHeld();
    this.closeCurrent();
    if (this.defaultFrame.hits.size > 0) this.frames.push(this.defaultFrame);
    const resolved = [...this.early, ...this.frames.flatMap((frame) => this.resolve(frame))];
    const findings = assemble(resolved, this.options);
    return { findings, recognised: findings.length > 0, linesRead: this.reader.lines };
  }

  /**
   * Splits data[0, limit) into physical lines (`limit` is the last newline, or the end of unterminated data)
   * and sends each line that could matter to the line reader; the others are only counted.
   */
  private scan(data: string, limit: number): void {
    let gate = this.chunkGate;
    let nextHit = -1;
    let previousStart = -1;
    let previousEnd = -1;
    for (let start = 0; ; ) {
      let end = data.indexOf('\n', start);
      if (end < 0 || end > limit) end = limit;
      this.work.lines += 1;
      const rawLength = end > start && data.charCodeAt(end - 1) === 13 ? end - start - 1 : end - start;
      if (nextHit < start) {
        if (gate) {
          gate.lastIndex = start;
          const found = gate.exec(data);
          this.work.gateChars += (found ? found.index + found[0].length : data.length) - start;
          nextHit = found ? found.index : Number.POSITIVE_INFINITY;
        } else {
          nextHit = start;
        }
      }
      const lineStart = start;
      const lineEnd = end;
      if (nextHit < end || (!gate && start <= end) || WRAP_WIDTHS.has(rawLength) || WRAP_WIDTHS.has(this.previousRawLength)) {
        this.work.cleanedLines += 1;
        this.work.cleanedChars += end - start;
        this.reader.physical(data.slice(start, end), previousStart >= 0 ? data.slice(Math.max(previousStart, previousEnd - 256), previousEnd) : this.previousLine);
      } else {
        this.reader.skip(() => data.slice(lineStart, lineEnd));
      }
      // Context seen on that line may have narrowed the gate: use the new one from here on.
      if (this.chunkGate !== gate) {
        gate = this.chunkGate;
        nextHit = -1;
      }
      this.previousRawLength = rawLength;
      previousStart = start;
      previousEnd = end;
      if (end >= limit) break;
      start = end + 1;
    }
    this.previousLine = data.slice(Math.max(previousStart, previousEnd - 256), previousEnd);
  }

  /** scan() for bytes: the gate runs on the bytes, and only lines that go to the reader are decoded. */
  private scanBytes(data: Uint8Array, from: number, stop: number): void {
    const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.work.gateChars += stop - from;
    let previousStart = -1;
    let previousEnd = -1;
    const onLine = (start: number, end: number, hit: boolean): boolean => {
      this.work.lines += 1;
      const rawLength = end > start && data[end - 1] === 13 ? end - start - 1 : end - start;
      let gateChanged = false;
      if (hit || WRAP_WIDTHS.has(rawLength) || WRAP_WIDTHS.has(this.previousRawLength)) {
        const text = buffer.toString('utf8', start, end);
        this.work.cleanedLines += 1;
        this.work.cleanedChars += text.length;
        const previous = previousStart >= 0 ? buffer.toString('utf8', Math.max(previousStart, previousEnd - 256), previousEnd) : this.previousLine;
        this.reader.physical(text, previous);
        this.previousRawLength = text.endsWith('\r') ? text.length - 1 : text.length;
        gateChanged = this.byteGate === null;
      } else {
        this.reader.skip(() => buffer.toString('utf8', start, end));
        this.previousRawLength = rawLength;
      }
      previousStart = start;
      previousEnd = end;
      return !gateChanged;
    };
    for (let at = from; at >= 0; ) {
      if (this.byteGate === null) {
        // Built on first use, and again when context seen on a line narrowed the words.
        const words = gateWords([...this.matching.flatMap((compiled) => compiled.match), ...this.contextPending], CHUNK_GATE_WORDS);
        this.byteGate = words ? buildByteGate(words) : undefined;
      }
      at = at > stop ? -1 : scanLines(this.byteGate ?? EVERY_LINE, data, at, stop, onLine);
    }
    if (previousEnd >= 0) this.previousLine = buffer.toString('utf8', Math.max(previousStart, previousEnd - 256), previousEnd);
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
      if (this.byteGate !== null) this.byteGate = null;
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
