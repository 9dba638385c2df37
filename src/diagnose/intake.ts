/**
 * The engine's intake: chunks of text or bytes in, physical lines out. Each line that could matter (it holds a
 * word the gate looks for, or it may be half of a hard-wrapped line) goes to the line reader; the others are only
 * counted. The gates come from the engine and narrow as context is seen, so they are asked for again after every
 * line that went to the reader.
 */
import { scanLines, type ByteGate } from './byte-gate.js';
import { MAX_LINE_LENGTH, WRAP_WIDTHS, type LineReader } from './lines.js';

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

/** Where the intake's gates come from (the engine, which narrows them as context is seen). */
export interface GateSource {
  /** Case-insensitive, global: any word worth a closer look (undefined: every line is looked at). */
  readonly chunkGate: RegExp | undefined;
  /** The same words as a byte automaton (undefined: every line). */
  byteGate(): ByteGate | undefined;
  /** Whether the words changed since byteGate() was last asked. */
  readonly byteGateStale: boolean;
}

/** A gate that reports every line (when some pattern has no literal words to look for). */
const EVERY_LINE: ByteGate = { table: new Int32Array(256).fill(-1) };

export class ChunkIntake {
  private carry = '';
  private byteCarry: Uint8Array | undefined;
  private previousLine = '';
  private previousRawLength = 0;

  constructor(
    private readonly reader: LineReader,
    private readonly gates: GateSource,
    private readonly work: Work,
  ) {}

  /** Text in, chunk by chunk. */
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

  /** UTF-8 bytes in, chunk by chunk: only the lines worth a closer look are decoded. */
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

  /** What is left at the end of the input: the last, unterminated line. */
  end(): void {
    this.flushByteCarry();
    if (this.carry !== '') this.scan(this.carry, this.carry.length);
    this.carry = '';
  }

  /**
   * Splits data[0, limit) into physical lines (`limit` is the last newline, or the end of unterminated data)
   * and sends each line that could matter to the line reader; the others are only counted.
   */
  private scan(data: string, limit: number): void {
    let gate = this.gates.chunkGate;
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
      if (this.gates.chunkGate !== gate) {
        gate = this.gates.chunkGate;
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
        gateChanged = this.gates.byteGateStale;
      } else {
        this.reader.skip(() => buffer.toString('utf8', start, end));
        this.previousRawLength = rawLength;
      }
      previousStart = start;
      previousEnd = end;
      return !gateChanged;
    };
    for (let at = from; at >= 0; ) {
      // Asked again after a line narrowed the words (onLine stops the scan then).
      at = at > stop ? -1 : scanLines(this.gates.byteGate() ?? EVERY_LINE, data, at, stop, onLine);
    }
    if (previousEnd >= 0) this.previousLine = buffer.toString('utf8', Math.max(previousStart, previousEnd - 256), previousEnd);
  }
}
