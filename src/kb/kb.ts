import { readFileSync } from 'node:fs';
import { buildIndex, capQuery, loadIndex, searchIndex, type SearchHit, type SearchIndex } from './search.js';
import type { Article } from './types.js';

/**
 * What `npm run build` writes to dist/kb.json: the articles. Their prebuilt search index is dist/kb-index.json,
 * read only when a search runs (showing or listing articles, or a diagnosis, never pays for it).
 */
export interface KbFile {
  format: 2;
  articles: Article[];
}

/** The loaded guide: articles by id, search, and the cause → article map diagnosis uses. */
export class Kb {
  readonly articles: readonly Article[];
  private readonly byId: Map<string, Article>;
  private readonly byCause: Map<string, Article>;
  /** Built or deserialised on the first search: showing an article or a list never pays for it. */
  private indexCache: SearchIndex | undefined;
  private readonly makeIndex: () => SearchIndex;

  constructor(articles: readonly Article[], makeIndex?: () => SearchIndex) {
    this.articles = articles;
    this.byId = new Map(articles.map((article) => [article.id, article]));
    this.byCause = new Map();
    for (const article of articles) {
      for (const cause of article.causes) if (!this.byCause.has(cause)) this.byCause.set(cause, article);
    }
    this.makeIndex = makeIndex ?? (() => buildIndex(articles));
  }

  private get index(): SearchIndex {
    this.indexCache ??= this.makeIndex();
    return this.indexCache;
  }

  /**
   * Loads the search index now, and runs one search so its code is compiled too: the interactive guide does it
   * while the user reads its first frame, and the first key typed costs what every other key costs.
   */
  prepareSearch(): void {
    this.search('agent', 1);
  }

  get(id: string): Article | undefined {
    return this.byId.get(id);
  }

  /** The article that explains a cause id. */
  articleForCause(cause: string): Article | undefined {
    return this.byCause.get(cause);
  }

  /**
   * Ranked search. On top of MiniSearch's scores, an article whose title or alias contains the query as typed
   * wins: people paste exact error texts and file names ("appspec.yaml", "iam:PassRole"), which the tokenizer
   * would otherwise split into common words.
   */
  search(query: string, limit = 20): SearchHit[] {
    const hits = searchIndex(this.index, query, Math.max(limit, 50));
    const phrase = normalisePhrase(capQuery(query));
    if (phrase.length >= 4) {
      for (const hit of hits) {
        const article = this.byId.get(hit.id);
        if (!article) continue;
        const names = [article.title, ...article.aliases].map(normalisePhrase);
        if (names.some((name) => name === phrase)) hit.score *= 4;
        else if (names.some((name) => name.includes(phrase))) hit.score *= 2;
      }
      hits.sort((a, b) => b.score - a.score);
    }
    return hits.slice(0, limit);
  }

  /** Ids that look like `id` (for "did you mean" on a mistyped --show). */
  similarIds(id: string, limit = 3): string[] {
    return this.search(id.replace(/-/g, ' '), limit).map((hit) => hit.id);
  }
}

function normalisePhrase(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The guide from its files: the articles, and a function that reads the serialised index (called on first search). */
export function kbFromFile(file: KbFile, readIndex: () => string): Kb {
  return new Kb(file.articles, () => loadIndex(readIndex()));
}

/** Loads dist/kb.json, which sits next to the bundled entry. */
export function loadBundledKb(): Kb {
  const url = new URL('./kb.json', import.meta.url);
  return kbFromFile(JSON.parse(readFileSync(url, 'utf8')) as KbFile, () => readFileSync(new URL('./kb-index.json', import.meta.url), 'utf8'));
}
