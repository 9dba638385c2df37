import type { Context } from '../../context.js';
import { ExitCode, UserError } from '../../errors.js';
import type { Kb } from '../../kb/kb.js';
import type { Article } from '../../kb/types.js';
import { printable } from '../../io/sanitize.js';
import { fitText } from '../../ui/spans.js';

export interface GuideOptions {
  query: string;
  show?: string;
  list?: boolean;
  raw?: boolean;
}

function summaryOf(article: Article) {
  return { id: article.id, title: article.title, summary: article.summary, tags: article.tags };
}

function findArticle(kb: Kb, id: string): Article {
  const article = kb.get(id);
  if (article) return article;
  const similar = kb.similarIds(id);
  throw new UserError(`There is no guide article "${id}".`, {
    hint: similar.length > 0 ? `Did you mean: ${similar.join(', ')}?` : 'List them with: cd-wizard guide --list',
  });
}

function formatRow(ctx: Context, article: Article, extra: string | undefined): string {
  const width = Math.min(ctx.term.columns, 120);
  // Long lines are cut only for a terminal; a pipe gets them whole (another program may be reading).
  const cut = (text: string) => (ctx.term.isTty ? fitText(text, width - 4) : text);
  const lines = [`${ctx.style.bold(article.id)}  ${article.title}`, `    ${cut(article.summary)}`];
  if (extra) lines.push(`    ${ctx.style.dim(cut(extra))}`);
  return lines.join('\n');
}

export async function runGuide(ctx: Context, options: GuideOptions): Promise<number> {
  const query = options.query.trim();
  const modes = [options.show !== undefined, options.list === true, query !== ''].filter(Boolean).length;
  if (modes > 1) throw new UserError('Give one of --show <id>, --list or a search query.', { exitCode: ExitCode.Usage });
  const interactive = ctx.term.canPrompt && !ctx.globals.json;
  if (modes === 0 && interactive) {
    // The full-screen guide draws its first frame before it reads the guide (or loads the search library).
    const { runGuideTui } = await import('./tui.js');
    return runGuideTui(ctx);
  }
  const [{ loadBundledKb }, { snippet }] = await Promise.all([import('../../kb/kb.js'), import('../../kb/search.js')]);
  const kb = loadBundledKb();

  if (options.show !== undefined) {
    const article = findArticle(kb, options.show);
    if (ctx.globals.json) {
      ctx.out(JSON.stringify({ ...summaryOf(article), aliases: article.aliases, causes: article.causes, related: article.related, markdown: article.body }, null, 2));
    } else if (interactive && !options.raw) {
      // The same pager as the full-screen guide: scroll, find, follow related articles; q or Esc leaves.
      const { runGuideTui } = await import('./tui.js');
      return runGuideTui(ctx, { kb, show: article.id });
    } else if (ctx.term.isTty && !options.raw) {
      const { renderArticle } = await import('../../kb/render.js');
      ctx.out(renderArticle(article, { width: Math.min(ctx.term.columns - 1, 100), color: ctx.style.enabled }));
      if (article.related.length > 0) ctx.out(`\n${ctx.style.dim('Related:')} ${article.related.map((id) => `cd-wizard guide --show ${id}`).join('\n         ')}`);
    } else {
      ctx.out(article.body);
    }
    return ExitCode.Ok;
  }

  if (options.list) {
    if (ctx.globals.json) ctx.out(JSON.stringify(kb.articles.map(summaryOf), null, 2));
    else ctx.out(kb.articles.map((article) => formatRow(ctx, article, undefined)).join('\n'));
    return ExitCode.Ok;
  }

  if (query !== '') {
    const hits = kb.search(query, 10);
    if (ctx.globals.json) {
      ctx.out(JSON.stringify(hits.map((hit) => ({ ...summaryOf(kb.get(hit.id) as Article), score: Number(hit.score.toFixed(3)) })), null, 2));
      return ExitCode.Ok;
    }
    if (hits.length === 0) {
      // The query is echoed as typed, so shortened and with control characters shown escaped.
      ctx.out(`No article matches "${printable(query)}". Try fewer or other words, or list everything with: cd-wizard guide --list`);
      return ExitCode.Ok;
    }
    ctx.out(hits.map((hit) => formatRow(ctx, kb.get(hit.id) as Article, snippet(kb.get(hit.id) as Article, hit.terms))).join('\n'));
    ctx.out(ctx.style.dim(`\nOpen one with: cd-wizard guide --show ${hits[0]?.id ?? '<id>'}`));
    return ExitCode.Ok;
  }

  // Not interactive and nothing asked: the list is the most useful thing to print.
  if (ctx.globals.json) ctx.out(JSON.stringify(kb.articles.map(summaryOf), null, 2));
  else ctx.out(kb.articles.map((article) => formatRow(ctx, article, undefined)).join('\n'));
  return ExitCode.Ok;
}
