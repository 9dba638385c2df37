import { compileRules } from '../diagnose/engine.js';
import type { Kb } from '../kb/kb.js';

/** Every rule of every article, each pointing at the article that explains it (the offline and the online fix share them). */
export function rulesOf(kb: Kb) {
  return compileRules(kb.articles.flatMap((article) => article.rules.map((rule) => ({ rule, guide: article.id }))));
}
