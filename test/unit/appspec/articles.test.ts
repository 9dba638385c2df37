import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/appspec/rules.js';
import { loadSource } from '../../../src/kb/source.js';
import { CONTENT_DIR } from '../../helpers/kb.js';

const { articles } = loadSource(CONTENT_DIR);

describe('lint rules and the guide', () => {
  it('links every rule to an article that exists', () => {
    const ids = new Set(articles.map((article) => article.id));
    expect(RULES.filter((rule) => !ids.has(rule.guide)).map((rule) => `${rule.id} → ${rule.guide}`)).toEqual([]);
  });

  it('lists every rule, with its article, in appspec-lint', () => {
    const overview = articles.find((article) => article.id === 'appspec-lint');
    for (const rule of RULES) {
      expect(overview?.body, rule.id).toMatch(new RegExp(`\\| \`${rule.id}\` \\|[^\\n]*\\| \`${rule.guide}\` \\|`));
    }
  });
});
