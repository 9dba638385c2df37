/**
 * A cheap pre-check for rule patterns. Most lines of an agent log are polling noise, and a case-insensitive
 * regex scan of every line for every pattern is slow; `line.includes(word)` is not. For each pattern this
 * works out plain words that every match must contain, and the diagnoser runs the regex only on lines that
 * contain them.
 *
 * The result is a Prefilter: alternatives (the pattern's top-level `|` branches, any one may match), each a
 * list of requirements that must all hold, each requirement a set of words of which the line must contain
 * one (from a group such as `(?:ApplicationStop|BeforeBlockTraffic)`). All words are lowercase.
 *
 * Conservative by design: whatever it does not model (classes, lookarounds, optional parts, escapes with
 * arguments) contributes no requirement, so a prefilter never rejects a line the pattern would match.
 */
export type Prefilter = string[][][];

const MIN_WORD = 3;
/** Korean (or any non-ASCII) words are telling at two characters: 실패, 배포. */
const MIN_WORD_NON_ASCII = 2;
const longEnough = (word: string) => word.length >= MIN_WORD || (word.length >= MIN_WORD_NON_ASCII && /[^\x00-\x7f]/.test(word));
const LITERAL_ESCAPES = new Set(['.', '-', '/', '\\', ':', '(', ')', '[', ']', '{', '}', '?', '*', '+', '|', '^', '$', '"', "'", '@', '=', '#', ',', '<', '>', '&', '%', '!', '~', '`', ';', '_', ' ']);
/**
 * What a healthy agent log is made of (its polling and housekeeping lines). A word found in it passes the gate on
 * nearly every line of a real log, so it is the last choice for a prefilter; a long word that merely contains a
 * common one ("socketerror", "instance_metadata.rb:") is still telling, because the gate looks for the whole word.
 */
export const NOISE_SAMPLE = [
  '2024-09-10T18:00:12 INFO  [codedeploy-agent(33869)]: [Aws::CodeDeployCommand::Client 200 45.142183 0 retries] poll_host_command(host_identifier:"arn:aws:ec2:ap-northeast-2:123456789012:instance/i-0e9fe7b11be081a65")',
  '2024-09-10T18:00:12 INFO  [codedeploy-agent(33869)]: Version file found in /opt/codedeploy-agent/.version with agent version OFFICIAL_1.7.1-110_rpm.',
  '2024-09-10T18:00:12 DEBUG [codedeploy-agent(33869)]: InstanceAgent::Plugins::CodeDeployPlugin::CommandPoller: Calling PollHostCommand:',
  '2024-09-10T18:00:12 DEBUG [codedeploy-agent(33869)]: InstanceAgent::Plugins::CodeDeployPlugin::CommandPoller: PollHostCommand: Host Command =  nil',
  '2024-09-10T18:00:12 DEBUG [codedeploy-agent(33869)]: InstanceAgent::Plugins::CodeDeployPlugin::CommandPoller: Sleeping 90 seconds.',
  '2024-09-10T18:00:12 INFO  [codedeploy-agent(33869)]: master 33869: Spawned child 1/1',
  '2024-09-10T18:00:12 INFO  [codedeploy-agent(33869)]: Started master 33869 with 1 children',
  '2024-09-10T18:00:12 INFO  [codedeploy-agent(33869)]: On Premises config file does not exist or not readable',
  '2024-09-10T18:00:12 INFO  [codedeploy-agent(33869)]: CodeDeploy endpoint: https://codedeploy-commands.ap-northeast-2.amazonaws.com',
  '2024-09-10T18:00:12 INFO  [codedeploy-agent(33869)]: [Aws::CodeDeployCommand::Client 200 0.02 0 retries] put_host_command_acknowledgement(diagnostics:{format:"JSON",payload:"{}"},host_command_identifier:"WyJjb20uYW1hem9uLmFwb2xsbyJd")',
]
  .join('\n')
  .toLowerCase();
const isCommon = (word: string) => NOISE_SAMPLE.includes(word);

function splitTopLevel(source: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (char === '\\') i += 1;
    else if (inClass) {
      if (char === ']') inClass = false;
    } else if (char === '[') inClass = true;
    else if (char === '(') depth += 1;
    else if (char === ')') {
      depth -= 1;
      if (depth < 0) return undefined;
    } else if (char === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0 || inClass) return undefined;
  parts.push(source.slice(start));
  return parts;
}

/** Index just past the group or class that starts at `at`, or -1 when unbalanced. */
function skipBracketed(source: string, at: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = at; i < source.length; i += 1) {
    const char = source[i];
    if (char === '\\') i += 1;
    else if (inClass) {
      if (char === ']') {
        inClass = false;
        if (depth === 0) return i + 1;
      }
    } else if (char === '[') inClass = true;
    else if (char === '(') depth += 1;
    else if (char === ')') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Length of a quantifier at `at` (?, *, +, {m,n}, with a lazy ?), and whether it allows zero repetitions. */
function quantifierAt(source: string, at: number): { length: number; optional: boolean } {
  const found = /^(?:[?*+]|\{\d*(?:,\d*)?\})\??/.exec(source.slice(at));
  if (!found) return { length: 0, optional: false };
  const text = found[0];
  return { length: text.length, optional: text.startsWith('?') || text.startsWith('*') || /^\{0*[,}]/.test(text) || text.startsWith('{,') };
}

/** The requirements of one branch (no top-level `|`), or undefined when it has an escape it does not model. */
function requirementsOf(branch: string): string[][] | undefined {
  const requirements: string[][] = [];
  let run = '';
  const endRun = () => {
    if (longEnough(run)) requirements.push([run.toLowerCase()]);
    run = '';
  };
  let i = 0;
  while (i < branch.length) {
    const char = branch[i] as string;
    if (char === '(' || char === '[') {
      const end = skipBracketed(branch, i);
      if (end < 0) return undefined;
      const quantifier = quantifierAt(branch, end);
      endRun();
      if (char === '(' && !quantifier.optional && !/^\(\?(?:=|!|<=|<!)/.test(branch.slice(i))) {
        const inner = branch.slice(i, end - 1).replace(/^\((?:\?:|\?<[^>]+>)?/, '');
        const oneOf = bestWordPerBranch(inner);
        if (oneOf) requirements.push(oneOf);
      }
      i = end + quantifier.length;
      continue;
    }
    let literal: string | undefined;
    let next = i + 1;
    if (char === '\\') {
      const escaped = branch[i + 1];
      if (escaped === undefined || /[xucpPk]/.test(escaped)) return undefined;
      if (LITERAL_ESCAPES.has(escaped)) literal = escaped;
      next = i + 2;
      // A backreference or an octal escape (\1, \12): no literal requirement, and its digits are not text.
      if (/[0-9]/.test(escaped)) while (/[0-9]/.test(branch[next] ?? '')) next += 1;
    } else if (!' .^$?*+{}'.includes(char)) {
      literal = char;
    }
    const quantifier = quantifierAt(branch, next);
    if (literal === undefined || quantifier.optional) {
      endRun();
    } else {
      run += literal;
      if (quantifier.length > 0) endRun();
    }
    i = next + quantifier.length;
  }
  endRun();
  return requirements;
}

/** For a group's alternation: the most telling word of each alternative, or undefined if one has none. */
function bestWordPerBranch(source: string): string[] | undefined {
  const branches = splitTopLevel(source);
  if (!branches) return undefined;
  const words: string[] = [];
  for (const branch of branches) {
    const singles = (requirementsOf(branch) ?? []).filter((requirement) => requirement.length === 1).map((requirement) => requirement[0] as string);
    const best = singles.sort((a, b) => b.length - a.length)[0];
    if (best === undefined) return undefined;
    words.push(best);
  }
  return words;
}

/** How well a requirement filters lines: the length of its shortest word, far less when a word is in the noise. */
function selectivity(requirement: string[]): number {
  const shortest = Math.min(...requirement.map((word) => word.length));
  return requirement.some(isCommon) ? shortest - 100 : shortest;
}

export function prefilterOf(source: string): Prefilter | undefined {
  const branches = splitTopLevel(source);
  if (!branches) return undefined;
  const prefilter: Prefilter = [];
  for (const branch of branches) {
    const requirements = requirementsOf(branch);
    if (!requirements || requirements.length === 0) return undefined;
    prefilter.push(requirements.sort((a, b) => selectivity(b) - selectivity(a)));
  }
  return prefilter;
}

/** True when the lowercased line could match the pattern the prefilter was made from. Loops, not closures: hot path. */
export function passes(prefilter: Prefilter, lower: string): boolean {
  for (const requirements of prefilter) {
    let all = true;
    for (const oneOf of requirements) {
      let any = false;
      for (const word of oneOf) {
        if (lower.includes(word)) {
          any = true;
          break;
        }
      }
      if (!any) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}
