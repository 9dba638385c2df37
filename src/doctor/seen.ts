import type { LifecycleEvent } from '../aws/ports/deployments.js';
import type { EventContext, Finding } from '../diagnose/engine.js';
import { factsOf } from '../diagnose/facts.js';
import { redact, type RedactOptions } from '../diagnose/redact.js';
import { printable } from '../io/sanitize.js';

/**
 * Online evidence: where a finding was seen (an instance's failed lifecycle event, the deployment, a setup check,
 * an agent log read over SSM), what AWS said about that event (error code, exit code, script), and the few lines
 * that decided it: masked (src/diagnose/redact.ts) and with control characters escaped. Pure.
 */

/** Where a piece of evidence came from. */
export type EvidenceSource =
  | { kind: 'deployment'; deploymentId: string }
  | { kind: 'event'; instance: string; event: string }
  | { kind: 'instance-log'; instance: string; log: string }
  | { kind: 'check'; check: string; instances: readonly string[] };

/** One piece of text the matcher reads on its own. */
export interface EvidencePiece {
  source: EvidenceSource;
  text: string;
  /** A failed event's context: the matcher judges the whole text under this event, exit code and error code. */
  context?: EventContext;
  /** The first this many lines are the event's message; the lines after it are its log tail. */
  messageLines?: number;
}

/** Which part of a piece a quoted line comes from. */
export type SeenPart = 'message' | 'log tail' | 'error' | 'log' | 'detail';

/** The lines one piece of evidence gave a finding. */
export interface Seen {
  source: EvidenceSource;
  context?: EventContext;
  lines: Array<{ part: SeenPart; text: string }>;
  /** Other instances whose same event failed with the very same lines (shown once, not once per instance). */
  alsoOn: string[];
}

/** How many `[stderr]` lines of a log tail are shown when no line of the tail matched a rule. */
const STDERR_SHOWN = 2;
/** A quoted line longer than this is cut (the matcher's own evidence is already cut around the match). */
const LINE_WIDTH = 240;

/** The piece for one failed lifecycle event: its message and log tail, with the event's context for the matcher. */
export function eventPiece(instance: string, event: LifecycleEvent): EvidencePiece {
  const diagnostics = event.diagnostics ?? {};
  const message = diagnostics.message?.trim() ?? '';
  const tail = diagnostics.logTail?.trimEnd() ?? '';
  const errorCode = diagnostics.errorCode && diagnostics.errorCode !== 'Success' ? diagnostics.errorCode : undefined;
  // The exit code as the matcher reads it anywhere else ("failed with exit code 127").
  const exitCode = message === '' ? undefined : factsOf(message, message.toLowerCase())?.exitCodes[0];
  const context: EventContext = { event: event.name, exitCode, errorCode, script: diagnostics.scriptName || undefined };
  // A blank line between the two, so a message that happens to be as long as a terminal row is never read as
  // hard-wrapped into the tail's first line.
  const parts = [message, tail].filter((part) => part !== '');
  // An event with nothing but its error code still gets read (ScriptMissing needs no message to be named).
  const text = parts.length > 0 ? parts.join('\n\n') : errorCode ? `Error code: ${errorCode}` : '';
  return { source: { kind: 'event', instance, event: event.name }, text, context, messageLines: message === '' ? 0 : message.split('\n').length };
}

export function whereText(source: EvidenceSource): string {
  switch (source.kind) {
    case 'deployment':
      return `deployment ${source.deploymentId}`;
    case 'event':
      return `${source.instance} ${source.event}`;
    case 'instance-log':
      return `${source.instance} ${source.log}`;
    case 'check':
      return `check ${source.check}`;
  }
}

function partOf(piece: EvidencePiece, line: number): SeenPart {
  switch (piece.source.kind) {
    case 'event':
      return line <= (piece.messageLines ?? 0) ? 'message' : 'log tail';
    case 'deployment':
      return 'error';
    case 'instance-log':
      return 'log';
    case 'check':
      return 'detail';
  }
}

/** A line AWS or a log gave, made safe to show: secrets masked, control characters escaped, cut to size. */
export function quoteRaw(line: string, options: RedactOptions): string {
  return printable(redact(line.trim(), options), { longValue: LINE_WIDTH, maxLength: LINE_WIDTH });
}

/**
 * What one piece showed for one finding: the lines the matcher quoted (they decided it), with the cd-wizard line
 * "Error code: X" left out when AWS's own text matched too; for a failed event whose log tail did not itself match,
 * the tail's last `[stderr]` lines (what the script tripped on).
 */
export function seenFor(piece: EvidencePiece, found: Finding, options: RedactOptions): Seen {
  const lines = found.evidence.map((evidence) => ({ part: partOf(piece, evidence.line), text: evidence.text }));
  if (piece.source.kind === 'event' && !lines.some((line) => line.part === 'log tail')) {
    const messageLines = piece.messageLines ?? 0;
    const tail = piece.text.split('\n').slice(messageLines > 0 ? messageLines + 1 : 0);
    const stderr = tail.filter((line) => /\[stderr\]\s*\S/i.test(line)).slice(-STDERR_SHOWN);
    for (const line of stderr) lines.push({ part: 'log tail', text: quoteRaw(line, options) });
  }
  return { source: piece.source, ...(piece.context ? { context: piece.context } : {}), lines, alsoOn: [] };
}

const sameContext = (a: EventContext | undefined, b: EventContext | undefined) =>
  a?.event === b?.event && a?.errorCode === b?.errorCode && a?.exitCode === b?.exitCode && a?.script === b?.script;
const sameLines = (a: Seen, b: Seen) => a.lines.length === b.lines.length && a.lines.every((line, i) => line.text === b.lines[i]?.text && line.part === b.lines[i]?.part);

/**
 * Adds what one piece showed to a finding's evidence: the same event failing with the same lines on another
 * instance is one more instance on the first block, not a block of its own. At most `limit` blocks.
 */
export function addSeen(list: Seen[], seen: Seen, limit: number): void {
  if (seen.lines.length === 0) return;
  if (seen.source.kind === 'event') {
    const { instance, event } = seen.source;
    const same = list.find((other) => other.source.kind === 'event' && other.source.event === event && sameContext(other.context, seen.context) && sameLines(other, seen));
    if (same) {
      if (same.source.kind === 'event' && same.source.instance !== instance && !same.alsoOn.includes(instance)) same.alsoOn.push(instance);
      return;
    }
  } else if (list.some((other) => whereText(other.source) === whereText(seen.source) && sameLines(other, seen))) {
    return;
  }
  if (list.length < limit) list.push(seen);
}

/** "i-0abc AfterInstall (ScriptFailed, exit code 127, scripts/install.sh); also on i-0def": the block's heading. */
export function seenHeading(seen: Seen): string {
  const context = seen.context;
  const facts = context ? [context.errorCode, context.exitCode === undefined ? undefined : `exit code ${context.exitCode}`, context.script].filter((fact) => fact !== undefined && fact !== '') : [];
  const also = seen.alsoOn.length > 0 ? `; also on ${seen.alsoOn.slice(0, 5).join(', ')}${seen.alsoOn.length > 5 ? `, … (${seen.alsoOn.length} more)` : ''}` : '';
  return printable(`${whereText(seen.source)}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}${also}`, { longValue: LINE_WIDTH, maxLength: 2 * LINE_WIDTH });
}

/** The flat form, one string per line ("i-0abc AfterInstall: [stderr]…"), as offline findings list their evidence. */
export function seenFlat(list: readonly Seen[]): string[] {
  return list.flatMap((seen) => seen.lines.map((line) => `${whereText(seen.source)}: ${line.text}`));
}

/** The --json form of one block. */
export function seenJson(seen: Seen): Record<string, unknown> {
  const { source, context } = seen;
  const where =
    source.kind === 'event'
      ? { instance: source.instance, event: source.event }
      : source.kind === 'deployment'
        ? { deployment: source.deploymentId }
        : source.kind === 'instance-log'
          ? { instance: source.instance, log: source.log }
          : { check: source.check };
  return {
    ...where,
    ...(context?.errorCode ? { errorCode: context.errorCode } : {}),
    ...(context?.exitCode === undefined ? {} : { exitCode: context.exitCode }),
    ...(context?.script ? { script: context.script } : {}),
    ...(seen.alsoOn.length > 0 ? { alsoOn: seen.alsoOn } : {}),
    lines: seen.lines,
  };
}
