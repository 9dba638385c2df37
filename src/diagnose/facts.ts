/**
 * Context facts read from a line: which lifecycle event a stretch of text is about, the exit codes, error codes,
 * `[stderr]` lines and script names in it. The diagnoser groups lines into event frames with them, and rules'
 * `when` conditions are checked against a frame's facts ("exit code 127 under AfterInstall").
 */

/** The lifecycle events of EC2/on-premises deployments, in the order they run. */
export const LIFECYCLE_EVENTS = [
  'ApplicationStop',
  'BeforeBlockTraffic',
  'BlockTraffic',
  'AfterBlockTraffic',
  'DownloadBundle',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
] as const;
export type LifecycleEventName = (typeof LIFECYCLE_EVENTS)[number];

export interface LineFacts {
  /** The event the line is about; `strong` when the text says so structurally (a log header, a table row, JSON). */
  event?: { name: string; strong: boolean } | undefined;
  exitCodes: number[];
  /** Lifecycle error codes (ScriptFailed …) and deployment error codes (HEALTH_CONSTRAINTS …). */
  errorCodes: string[];
  /** What the script printed on stderr on this line (after the `[stderr]` marker). */
  stderr: string[];
  script?: string | undefined;
  /** The line is part of an event's record (keeps the event's frame open). */
  content: boolean;
}

/** Words (lowercase) at least one of which a line must contain to carry any fact: the diagnoser's gate. */
export const FACT_WORDS = [
  'lifecycle',
  'applicationstop',
  'blocktraffic',
  'downloadbundle',
  'install',
  'applicationstart',
  'validateservice',
  'allowtraffic',
  'exit',
  '[stderr]',
  '[stdout]',
  'error code',
  'errorcode',
  'error_code',
  'script',
  'status',
  'diagnostics',
  'log tail',
  'logtail',
  'message',
];

const NAMES = [...LIFECYCLE_EVENTS].sort((a, b) => b.length - a.length).join('|');
const FACT_GATE = new RegExp(FACT_WORDS.map((word) => word.replace(/[[\]]/g, '\\$&')).join('|'));
const STRONG_EVENT = new RegExp(`lifecycle[ _]?event(?:_?name)?"?\\s{0,3}(?:[-:=]\\s{0,3})?"?\\s{0,3}(${NAMES})\\b`, 'i');
const ROW_EVENT = new RegExp(`^\\s{0,8}(?:[|*>#-]\\s{0,3})?(${NAMES})(?=\\s|\\||:|,|$)`);
const CLI_TEXT_EVENT = new RegExp(`^LIFECYCLEEVENTS\\b.{0,120}?\\b(${NAMES})\\b`);
const WEAK_EVENT = new RegExp(`\\b(${NAMES.replace('|Install|', '|')})\\b`, 'g');
const FAILURE_AFTER = /^.{0,60}?(?:fail|error|실패|timed? ?out|stuck|hang)/i;
const FAILURE_BEFORE = /(?:fail\w*|stuck|hangs?|error|timed? ?out)\s(?:at|in|during|on)\s{0,3}(?:the\s)?$/i;
const EXIT_CODE = /\bexit(?:ed)?(?: with)? (?:code|status)[:=]?\s?(-?\d{1,3})\b|"exitCode"\s?:\s?(\d{1,3})/gi;
const LIFECYCLE_CODE = /(ScriptMissing|ScriptNotExecutable|ScriptTimedOut|ScriptFailed|UnknownError)\b/g;
const DEPLOYMENT_CODE = /\(Error code: ([A-Z][A-Z_]{2,60})\)|"(?:code|errorCode)"\s?:\s?"([A-Za-z_]{3,60})"|\bError ?code:\s?([A-Za-z_]{3,60})/g;
// The agent's numeric codes in the put_host_command_complete payload (hook_executor.rb ScriptError).
const AGENT_CODE = /error_code"?\s?:\s?(\d)\b/;
const AGENT_CODES = ['Success', 'ScriptMissing', 'ScriptNotExecutable', 'ScriptTimedOut', 'ScriptFailed', 'UnknownError', 'OutputsLeftOpen', 'FailedAfterRestart'];
const SCRIPT =
  /\bScript - (\S{1,200})|\bScript ?name:\s?(\S{1,200})|script_?name"?\s?[:=]\s?"([^"]{1,200})"|specified location: (\S{1,200}?)(?=\s(?:run as user|failed|is not|timed out|as executable)|$)/i;
const CONTENT = /\[stdout\]|diagnostics|log ?tail|"status"|\bstatus:|message|deploymentid|\bd-[a-z0-9]{9}\]/;

function eventOf(text: string): LineFacts['event'] {
  const strong = STRONG_EVENT.exec(text) ?? ROW_EVENT.exec(text) ?? CLI_TEXT_EVENT.exec(text);
  if (strong) return { name: canonical(strong[1] as string), strong: true };
  const names = [...text.matchAll(WEAK_EVENT)];
  if (names.length === 0) return undefined;
  const distinct = new Set(names.map((found) => canonical(found[1] as string)));
  if (distinct.size === 1) return { name: [...distinct][0] as string, strong: false };
  // Several events named ("ApplicationStop succeeded, AfterInstall failed"): the one the failure is about.
  for (const found of names) {
    const at = found.index ?? 0;
    if (FAILURE_AFTER.test(text.slice(at + found[0].length, at + found[0].length + 80)) || FAILURE_BEFORE.test(text.slice(Math.max(0, at - 40), at))) {
      return { name: canonical(found[1] as string), strong: false };
    }
  }
  return undefined;
}

const byLower = new Map(LIFECYCLE_EVENTS.map((name) => [name.toLowerCase(), name as string]));
const canonical = (name: string) => byLower.get(name.toLowerCase()) ?? name;

/** Facts of one logical line, or undefined when it has none. `lower` is the line lowercased. */
export function factsOf(text: string, lower: string): LineFacts | undefined {
  if (!FACT_GATE.test(lower)) return undefined;
  const facts: LineFacts = { event: eventOf(text), exitCodes: [], errorCodes: [], stderr: [], content: false };
  for (const found of text.matchAll(EXIT_CODE)) facts.exitCodes.push(Number(found[1] ?? found[2]));
  for (const found of text.matchAll(LIFECYCLE_CODE)) facts.errorCodes.push(found[1] as string);
  for (const found of text.matchAll(DEPLOYMENT_CODE)) facts.errorCodes.push((found[1] ?? found[2] ?? found[3]) as string);
  const agentCode = AGENT_CODE.exec(text);
  if (agentCode) facts.errorCodes.push(AGENT_CODES[Number(agentCode[1])] ?? 'UnknownError');
  for (let at = lower.indexOf('[stderr]'); at >= 0 && facts.stderr.length < 8; at = lower.indexOf('[stderr]', at + 8)) {
    const next = lower.indexOf('[std', at + 8);
    facts.stderr.push(text.slice(at + 8, Math.min(next < 0 ? text.length : next, at + 8 + 300)).trim());
  }
  const script = SCRIPT.exec(text);
  if (script) facts.script = (script[1] ?? script[2] ?? script[3] ?? script[4])?.replace(/[",;)]+$/, '');
  facts.content =
    facts.event !== undefined || facts.exitCodes.length > 0 || facts.errorCodes.length > 0 || facts.stderr.length > 0 || facts.script !== undefined || CONTENT.test(lower);
  return facts;
}
