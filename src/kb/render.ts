import chalk from 'chalk';
import { Marked } from 'marked';
import { markedTerminal } from 'marked-terminal';
import type { Article } from './types.js';

/**
 * Renders an article's markdown for a terminal with marked-terminal. Imported lazily (only when an article
 * is shown on a TTY); syntax highlighting and emoji are stubbed out in the bundle to keep it light.
 */
export interface RenderOptions {
  width: number;
  color: boolean;
}

export function renderMarkdown(markdown: string, options: RenderOptions): string {
  // chalk is a single shared instance; marked-terminal styles through it.
  chalk.level = options.color ? Math.max(chalk.level, 1) as 1 | 2 | 3 : 0;
  const marked = new Marked();
  marked.use(
    markedTerminal({
      width: Math.max(40, options.width - 2),
      reflowText: true,
      showSectionPrefix: false,
      emoji: false,
      tab: 2,
      heading: chalk.cyan.bold,
      firstHeading: chalk.bold.underline,
      code: chalk.yellow,
      codespan: chalk.yellow,
    }) as Parameters<Marked['use']>[0],
  );
  const rendered = marked.parse(markdown, { async: false });
  return rendered.replace(/\n{3,}/g, '\n\n').trimEnd();
}

export function renderArticle(article: Article, options: RenderOptions): string {
  return renderMarkdown(article.body, options);
}
