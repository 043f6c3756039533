/**
 * Find in transcript: searches the model (not the DOM, which only holds the rows near the viewport).
 * Plain text per entry is cached by entry version, so repeated searches while typing stay cheap.
 */
import type { Entry } from './entries';
import { entryPlainText } from './transcriptText';

export interface SearchMatch {
  /** Entry key and index at search time. */
  key: string;
  index: number;
  /** Occurrences inside the entry's text. */
  count: number;
}

export class TranscriptSearch {
  private readonly cache = new Map<string, { version: number; lower: string }>();

  /** Entries containing `query` (case-insensitive), in transcript order. */
  find(entries: readonly Entry[], query: string): SearchMatch[] {
    const q = query.toLowerCase();
    if (!q) return [];
    const out: SearchMatch[] = [];
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      const text = this.text(e);
      let at = text.indexOf(q);
      if (at < 0) continue;
      let count = 0;
      while (at >= 0) {
        count++;
        at = text.indexOf(q, at + q.length);
      }
      out.push({ key: e.key, index: i, count });
    }
    return out;
  }

  clear(): void {
    this.cache.clear();
  }

  private text(e: Entry): string {
    const hit = this.cache.get(e.key);
    if (hit && hit.version === e.version) return hit.lower;
    const lower = entryPlainText(e).toLowerCase();
    this.cache.set(e.key, { version: e.version, lower });
    return lower;
  }
}

/** Total occurrences across matches. */
export function totalOccurrences(matches: readonly SearchMatch[]): number {
  let n = 0;
  for (const m of matches) n += m.count;
  return n;
}
