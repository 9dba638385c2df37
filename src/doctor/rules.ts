import { compileRules, diagnoseText, type CompiledRule } from '../diagnose/engine.js';
import type { Kb } from '../kb/kb.js';

const compiled = new WeakMap<Kb, CompiledRule[]>();

/** Every rule of every article, each pointing at the article that explains it (the offline and the online fix share them). Compiled once per knowledge base. */
export function rulesOf(kb: Kb): CompiledRule[] {
  let rules = compiled.get(kb);
  if (!rules) {
    rules = compileRules(kb.articles.flatMap((article) => article.rules.map((rule) => ({ rule, guide: article.id }))));
    compiled.set(kb, rules);
  }
  return rules;
}

/** A failed event's message as AWS words it: enough to take the matcher through its gates and a rule or two. */
const WARM_UP_TEXT = 'Script at specified location: scripts/start.sh run as user root failed with exit code 1';

/**
 * Compiles the rules and runs the matcher once on a throwaway text, so that the regular expressions are built and
 * compiled while a caller waits on the network (online fix reads evidence for several round trips), not after the
 * last answer, when the findings are on the critical path.
 */
export function warmMatcher(kb: Kb): void {
  diagnoseText(rulesOf(kb), WARM_UP_TEXT);
}
