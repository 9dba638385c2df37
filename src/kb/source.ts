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

/** Cross-article checks: unique ids, related ids resolve, file name matches id. */
export function checkArticles(articles: Article[], files: string[]): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const ids = new Map<string, string>();
  articles.forEach((article, index) => {
    const file = files[index] ?? article.id;
    const previous = ids.get(article.id);
    if (previous) problems.push({ file, message: `id "${article.id}" is already used by ${previous}` });
    ids.set(article.id, file);
    if (!file.endsWith(`${article.id}.md`)) problems.push({ file, message: `file name must be ${article.id}.md` });
    for (const rule of article.rules) {
      if (!article.causes.includes(rule.cause)) {
        problems.push({ file, message: `rule for "${rule.cause}" but the article's causes do not list it` });
      }
    }
  });
  for (const article of articles) {
    for (const related of article.related) {
      if (!ids.has(related)) problems.push({ file: ids.get(article.id) ?? article.id, message: `related id "${related}" does not exist` });
    }
  }
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
