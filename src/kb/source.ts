import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { frontMatterSchema } from './schema.js';
import type { Article } from './types.js';

/**
 * Reads and validates content/*.md. Build and test time only (it pulls in yaml and zod).
 * Every problem in every file is collected, so one run lists them all.
 */
export interface SourceProblem {
  file: string;
  message: string;
}

export interface LoadedSource {
  articles: Article[];
  problems: SourceProblem[];
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

export function parseArticle(file: string, text: string): { article?: Article; problems: SourceProblem[] } {
  const found = FRONT_MATTER.exec(text);
  if (!found) return { problems: [{ file, message: 'has no YAML front matter (--- … --- at the top)' }] };
  let data: unknown;
  try {
    data = parseYaml(found[1] ?? '');
  } catch (error) {
    return { problems: [{ file, message: `front matter is not valid YAML: ${(error as Error).message}` }] };
  }
  const result = frontMatterSchema.safeParse(data);
  if (!result.success) {
    return {
      problems: result.error.issues.map((issue) => ({
        file,
        message: `${issue.path.join('.') || '(front matter)'}: ${issue.message}`,
      })),
    };
  }
  const body = text.slice(found[0].length).trim();
  if (body.length === 0) return { problems: [{ file, message: 'has no article body' }] };
  return { article: { ...result.data, body }, problems: [] };
}

/** Values a rule's `because` and fix steps may name as {{name}}: the event's facts, or the rule's named groups. */
export const FACT_TEMPLATES = ['event', 'exitCode', 'script', 'stderr'];

/** `{{name}}` and `{{name|fallback}}` in a rule's texts whose name the engine cannot fill. */
function unknownTemplates(rule: Article['rules'][number]): string[] {
  const groups = rule.match.map((source) => new Set([...source.matchAll(/\(\?<([A-Za-z]\w*)>/g)].map((m) => m[1] as string)));
  const known = (name: string) => FACT_TEMPLATES.includes(name) || (groups.length > 0 && groups.every((names) => names.has(name)));
  const texts = [rule.title, rule.because ?? '', ...rule.fix.flatMap((step) => [step.text, step.command ?? ''])];
  return texts.flatMap((text) => [...text.matchAll(/\{\{([A-Za-z]\w*)(?:\|[^{}]*)?\}\}/g)].map((m) => m[1] as string)).filter((name) => !known(name));
}

/**
 * Cross-article checks: unique ids, file name = id, related ids resolve, every cause id is explained by the
 * article of that id, every rule sits in an article that lists its cause, refined causes exist, templates resolve.
 */
export function checkArticles(articles: Article[], files: string[]): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const ids = new Map<string, string>();
  const byId = new Map(articles.map((article) => [article.id, article]));
  articles.forEach((article, index) => {
    const file = files[index] ?? article.id;
    const previous = ids.get(article.id);
    if (previous) problems.push({ file, message: `id "${article.id}" is already used by ${previous}` });
    ids.set(article.id, file);
    if (!file.endsWith(`${article.id}.md`)) problems.push({ file, message: `file name must be ${article.id}.md` });
  });
  const causeIds = new Set(articles.flatMap((article) => article.causes));
  articles.forEach((article, index) => {
    const file = files[index] ?? article.id;
    for (const cause of article.causes) {
      if (!byId.get(cause)?.causes.includes(cause)) problems.push({ file, message: `cause "${cause}" needs its own article content/${cause}.md listing it in causes` });
    }
    for (const rule of article.rules) {
      if (!article.causes.includes(rule.cause)) problems.push({ file, message: `rule for "${rule.cause}" but the article's causes do not list it` });
      for (const refined of [...(rule.refines ?? []), ...(rule.absorbs ?? [])]) {
        if (!causeIds.has(refined)) problems.push({ file, message: `rule for "${rule.cause}" refines unknown cause "${refined}"` });
        if (refined === rule.cause) problems.push({ file, message: `rule for "${rule.cause}" refines itself` });
      }
      for (const name of unknownTemplates(rule)) problems.push({ file, message: `rule for "${rule.cause}" uses {{${name}}}, which is neither ${FACT_TEMPLATES.join('/')} nor a named group in every match pattern` });
    }
    for (const related of article.related) {
      if (!ids.has(related)) problems.push({ file, message: `related id "${related}" does not exist` });
    }
  });
  return problems;
}

export function loadSource(contentDir: string): LoadedSource {
  const files = readdirSync(contentDir)
    .filter((name) => name.endsWith('.md') && name !== 'README.md')
    .sort();
  const articles: Article[] = [];
  const articleFiles: string[] = [];
  const problems: SourceProblem[] = [];
  for (const name of files) {
    const parsed = parseArticle(name, readFileSync(join(contentDir, name), 'utf8'));
    problems.push(...parsed.problems);
    if (parsed.article) {
      articles.push(parsed.article);
      articleFiles.push(name);
    }
  }
  problems.push(...checkArticles(articles, articleFiles));
  return { articles, problems };
}
