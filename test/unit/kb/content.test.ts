import { describe, expect, it } from 'vitest';
import { loadSource } from '../../../src/kb/source.js';
import { ARTICLE_IDS, CAUSE_IDS, CHECKED_CAUSE_IDS, PLACEHOLDERS } from '../../../src/kb/types.js';
import { Diagnoser, compilePattern, compileRules } from '../../../src/diagnose/engine.js';
import { prefilterOf } from '../../../src/diagnose/literal.js';
import { CONTENT_DIR, causeFixtures } from '../../helpers/kb.js';

const { articles, problems } = loadSource(CONTENT_DIR);
const allPatterns = articles.flatMap((article) =>
  article.rules.flatMap((rule) => [...rule.match, ...(rule.requires ?? []), ...(rule.unless ?? [])].map((source) => ({ where: `${article.id}/${rule.cause}`, source }))),
);

/**
 * Quantifiers without an upper bound on anything but a literal character, \s or \d. `.*`, `\S+`, `[^x]*` and
 * friends let one pattern scan the rest of a 64 KB line from every starting position (quadratic time).
 */
function unboundedQuantifiers(source: string): string[] {
  const found: string[] = [];
  let previous: string | undefined;
  for (let i = 0; i < source.length; ) {
    const char = source[i] as string;
    if (char === '\\') {
      const escaped = source[i + 1] ?? '';
      // Escaped punctuation is a literal; \s and \d are allowed too; other classes (\S, \w, \D …) are not.
      previous = /[sdSwWDbB]/.test(escaped) && !/[sd]/.test(escaped) ? `\\${escaped}` : 'literal';
      i += 2;
    } else if (char === '[') {
      let end = i + 1;
      while (end < source.length && source[end] !== ']') end += source[end] === '\\' ? 2 : 1;
      previous = source.slice(i, end + 1);
      i = end + 1;
    } else if (char === '(' || char === '|') {
      previous = undefined;
      i += 1;
    } else if (char === ')') {
      previous = 'group';
      i += 1;
    } else if (char === '*' || char === '+' || (char === '{' && /^\{\d+,\}/.test(source.slice(i)))) {
      if (previous !== undefined && previous !== 'literal') found.push(`${previous}${char}`);
      i += char === '{' ? source.indexOf('}', i) - i + 1 : 1;
      if (source[i] === '?') i += 1;
    } else {
      previous = char === '.' ? '.' : 'literal';
      i += 1;
    }
  }
  return found;
}

/** Groups that repeat and contain a space: a space is compiled to \s*, and a repeated \s* backtracks badly. */
function repeatedGroupsWithSpaces(source: string): boolean {
  const stack: number[] = [];
  for (let i = 0; i < source.length; i += 1) {
    if (source[i] === '\\') {
      i += 1;
      continue;
    }
    if (source[i] === '(') stack.push(i);
    if (source[i] === ')') {
      const open = stack.pop() ?? 0;
      if (/^[*+{]/.test(source.slice(i + 1)) && !/^\{0?,?1\}/.test(source.slice(i + 1)) && source.slice(open, i).includes(' ')) return true;
    }
  }
  return false;
}

describe('content/', () => {
  it('every article has valid front matter, a unique id and resolvable related ids', () => {
    expect(problems).toEqual([]);
  });

  it('has the generated id lists in step with the articles (scripts/gen-ids.mjs ran)', () => {
    expect([...ARTICLE_IDS].sort()).toEqual(articles.map((article) => article.id).sort());
    expect([...CAUSE_IDS].sort()).toEqual([...new Set(articles.flatMap((article) => article.causes))].sort());
  });

  it('lets every cause be found: by a text rule, or by an online check', () => {
    const ruled = new Set(articles.flatMap((article) => article.rules.map((rule) => rule.cause)));
    const checked = new Set<string>(CHECKED_CAUSE_IDS);
    expect(CAUSE_IDS.filter((cause) => !ruled.has(cause) && !checked.has(cause))).toEqual([]);
  });

  it('finds the online checks’ cause ids in the checks’ source (so --list-causes can say “check”)', () => {
    expect(CHECKED_CAUSE_IDS).toContain('service-role-missing');
    expect(CHECKED_CAUSE_IDS).toContain('no-instances');
  });

  it('compiles every match, requires and unless pattern', () => {
    for (const { where, source } of allPatterns) expect(() => compilePattern(source), `${where}: ${source}`).not.toThrow();
  });

  it('gives every pattern literal words to look for, so the fast path can skip lines without them', () => {
    expect(allPatterns.filter(({ source }) => prefilterOf(source) === undefined).map(({ where, source }) => `${where}: ${source}`)).toEqual([]);
  });

  it('bounds every repetition that could scan a long line from every position (linear time)', () => {
    const offenders = allPatterns.flatMap(({ where, source }) => {
      const found = unboundedQuantifiers(source);
      return [...(found.length > 0 ? [`${where}: ${found.join(' ')} in ${source}`] : []), ...(repeatedGroupsWithSpaces(source) ? [`${where}: repeated group with a space in ${source}`] : [])];
    });
    expect(offenders).toEqual([]);
  });

  it('leaves the polling noise of a healthy agent log on the fast path', () => {
    const rules = compileRules(articles.flatMap((article) => article.rules.map((rule) => ({ rule, guide: article.id }))));
    const noise = [
      '2024-09-10T18:00:12 INFO  [codedeploy-agent(33869)]: [Aws::CodeDeployCommand::Client 200 45.142183 0 retries] poll_host_command(host_identifier:"arn:aws:ec2:ap-northeast-2:123456789012:instance/i-0e9fe7b11be081a65")',
      '2024-09-10T18:00:12 INFO  [codedeploy-agent(33869)]: Version file found in /opt/codedeploy-agent/.version with agent version OFFICIAL_1.7.1-110_rpm.',
      '2024-09-10T18:00:12 DEBUG [codedeploy-agent(33869)]: InstanceAgent::Plugins::CodeDeployPlugin::CommandPoller: Calling PollHostCommand:',
      '2024-09-10T18:00:12 DEBUG [codedeploy-agent(33869)]: InstanceAgent::Plugins::CodeDeployPlugin::CommandPoller: PollHostCommand: Host Command =  nil',
      '2024-09-10T18:00:12 DEBUG [codedeploy-agent(33869)]: InstanceAgent::Plugins::CodeDeployPlugin::CommandPoller: Sleeping 90 seconds.',
    ];
    const diagnoser = new Diagnoser(rules);
    const text = Array.from({ length: 200 }, () => noise.join('\n')).join('\n');
    diagnoser.pushBytes(Buffer.from(`${text}\n`));
    diagnoser.end();
    // Only until the context words on the first lines are seen (then the gate narrows).
    expect(diagnoser.work.slowLines).toBeLessThanOrEqual(noise.length);
  });

  it('has a fixture with at least two positives and one negative for every cause that has a rule', () => {
    const fixtures = new Map(causeFixtures().map((fixture) => [fixture.cause, fixture]));
    for (const cause of new Set(articles.flatMap((article) => article.rules.map((rule) => rule.cause)))) {
      const fixture = fixtures.get(cause);
      expect(fixture, `test/fixtures/causes/${cause}.yml`).toBeDefined();
      expect(fixture?.positive.length ?? 0, `${cause} positives`).toBeGreaterThanOrEqual(2);
      expect(fixture?.negative.length ?? 0, `${cause} negatives`).toBeGreaterThanOrEqual(1);
    }
  });

  it('writes fix steps with known placeholders only, so fix against AWS can fill them in', () => {
    const known = new Set<string>(PLACEHOLDERS);
    const unknown = articles.flatMap((article) =>
      article.rules.flatMap((rule) =>
        rule.fix.flatMap((step) => [...`${step.text} ${step.command ?? ''}`.matchAll(/<[a-z][a-z0-9-]*>/g)].map((m) => m[0]).filter((name) => !known.has(name)).map((name) => `${article.id}: ${name}`)),
      ),
    );
    expect(unknown).toEqual([]);
  });

  it('keeps {{templates}} out of the rules online checks borrow (their steps are shown unfilled)', () => {
    const borrowed = articles.filter((article) => (CHECKED_CAUSE_IDS as readonly string[]).includes(article.id)).flatMap((article) => article.rules);
    expect(borrowed.filter((rule) => JSON.stringify(rule.fix).includes('{{')).map((rule) => rule.cause)).toEqual([]);
  });

  it('fixtures name only known causes', () => {
    for (const fixture of causeFixtures()) expect(CAUSE_IDS as readonly string[], fixture.file).toContain(fixture.cause);
  });
});
