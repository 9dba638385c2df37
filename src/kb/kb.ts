import { readFileSync } from 'node:fs';
import { buildIndex, loadIndex, searchIndex, type SearchHit, type SearchIndex } from './search.js';
import type { Article } from './types.js';

/** What `npm run build` writes to dist/kb.json: the articles and their prebuilt search index. */
export interface KbFile {
  format: 1;
  articles: Article[];
  index: string;
}

/** The loaded guide: articles by id, search, and the cause → article map diagnosis uses. */
export class Kb {
  readonly articles: readonly Article[];
  private readonly byId: Map<string, Article>;
  private readonly byCause: Map<string, Article>;
  private readonly index: SearchIndex;

  constructor(articles: readonly Article[], index?: SearchIndex) {
    this.articles = articles;
    this.byId = new Map(articles.map((article) => [article.id, article]));
    this.byCause = new Map();
    for (const article of articles) {
      for (const cause of article.causes) if (!this.byCause.has(cause)) this.byCause.set(cause, article);
    }
    this.index = index ?? buildIndex(articles);
  }

  get(id: string): Article | undefined {
    return this.byId.get(id);
  }

  /** The article that explains a cause id. */
  articleForCause(cause: string): Article | undefined {
    return this.byCause.get(cause);
  }

  search(query: string, limit?: number): SearchHit[] {
    return searchIndex(this.index, query, limit);
  }

  /** Ids that look like `id` (for "did you mean" on a mistyped --show). */
  similarIds(id: string, limit = 3): string[] {
    return this.search(id.replace(/-/g, ' '), limit).map((hit) => hit.id);
  }
}

export function kbFromFile(file: KbFile): Kb {
  return new Kb(file.articles, loadIndex(file.index));
}

/** Loads dist/kb.json, which sits next to the bundled entry. */
export function loadBundledKb(): Kb {
  const url = new URL('./kb.json', import.meta.url);
  return kbFromFile(JSON.parse(readFileSync(url, 'utf8')) as KbFile);
}
