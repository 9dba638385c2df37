import { describe, expect, it } from 'vitest';
import { loadSource } from '../../src/kb/source.js';
import { CAUSE_IDS, PLACEHOLDERS } from '../../src/kb/types.js';
import { compilePattern } from '../../src/diagnose/engine.js';
import { CONTENT_DIR, causeFixtures } from '../helpers/kb.js';

const { articles, problems } = loadSource(CONTENT_DIR);

describe('content/', () => {
  it('every article has valid front matter, a unique id and resolvable related ids', () => {
    expect(problems).toEqual([]);
  });

  it('has at least 40 articles', () => {
    expect(articles.length).toBeGreaterThanOrEqual(40);
  });

  it('explains every cause id in at least one article, and every rule sits in the article that explains it', () => {
    const explained = new Set(articles.flatMap((article) => article.causes));
    expect(CAUSE_IDS.filter((cause) => !explained.has(cause))).toEqual([]);
  });

  it('has a diagnosis rule for every cause id', () => {
    const ruled = new Set(articles.flatMap((article) => article.rules.map((rule) => rule.cause)));
    expect(CAUSE_IDS.filter((cause) => !ruled.has(cause))).toEqual([]);
  });

  it('compiles every match, requires and unless pattern', () => {
    for (const article of articles) {
      for (const rule of article.rules) {
        for (const source of [...rule.match, ...(rule.requires ?? []), ...(rule.unless ?? [])]) {
          expect(() => compilePattern(source), `${article.id}: ${source}`).not.toThrow();
        }
      }
    }
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

  it('fixtures name only known causes', () => {
    for (const fixture of causeFixtures()) expect(CAUSE_IDS as readonly string[], fixture.file).toContain(fixture.cause);
  });
});
