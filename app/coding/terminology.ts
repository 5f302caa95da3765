import path from 'node:path';
import Database from 'better-sqlite3';
import { bloomHas } from './bloom.ts';
import { INDEX_FILE, INDEX_FORMAT } from './compile.ts';
import { bagOf, normalisePhrase, tokenize } from './text.ts';

export interface IcdCode {
  code: string;
  display: string;
  billable: boolean;
  /** active in FY2027; added by FY2027; deleted by FY2027 (never suggested); expanded: billable in FY2026, a header with new children in FY2027. */
  status: 'active' | 'added' | 'deleted' | 'expanded';
  parent: string | null;
}

export interface TermMatch {
  code: string;
  text: string;
  source: string;
  weight: number;
  size: number;
}

export interface DrugName {
  norm: string;
  name: string;
  rxcui: string | null;
  tty: string;
  ingredients: string;
  source: string;
}

export interface ClinicalDrug {
  rxcui: string;
  tty: string;
  name: string;
  ingredients: string;
  brands: string;
}

export interface LoincCode {
  code: string;
  display: string;
  units: string;
  abbreviations: string;
}

export interface CodeSearchResult {
  code: string;
  display: string;
  billable: boolean;
}

/** The compiled terminology index, opened read-only. Queries are prepared once; lookups are cached. */
export class Terminology {
  private readonly db: Database.Database;
  private readonly q: {
    termsByBag: Database.Statement<[string], TermMatch>;
    code: Database.Statement<
      [string],
      { code: string; display: string; billable: number; status: IcdCode['status']; parent: string | null }
    >;
    children: Database.Statement<
      [string],
      { code: string; display: string; billable: number; status: IcdCode['status']; parent: string | null }
    >;
    fts: Database.Statement<[string, number], { code: string; text: string; bag: string; source: string; weight: number; size: number }>;
    codePrefix: Database.Statement<
      [string, number],
      { code: string; display: string; billable: number; status: IcdCode['status']; parent: string | null }
    >;
    drug: Database.Statement<[string], DrugName>;
    scd: Database.Statement<[string], ClinicalDrug>;
    loinc: Database.Statement<[], LoincCode>;
  };
  private readonly bagCache = new Map<string, TermMatch[]>();
  private readonly bagFilter: Uint8Array;
  private readonly drugCache = new Map<string, DrugName[]>();
  /** Every first word of a drug name, for a cheap check before a lookup. */
  readonly drugFirstWords: Set<string>;
  readonly loincCodes: LoincCode[];

  constructor(readonly dir: string) {
    const file = path.join(dir, INDEX_FILE);
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    const format = (this.db.prepare("SELECT value FROM meta WHERE key = 'format'").get() as { value: string } | undefined)?.value;
    if (format !== String(INDEX_FORMAT)) {
      this.db.close();
      throw new Error(`The terminology index ${file} has format ${format ?? '?'}, this Scribe reads ${INDEX_FORMAT}`);
    }
    const db = this.db;
    this.q = {
      termsByBag: db.prepare(
        "SELECT t.code, CASE WHEN t.text = '' THEN i.display ELSE t.text END AS text, t.source, t.weight, t.size FROM term t JOIN icd i ON i.code = t.code WHERE t.bag = ? AND i.status != 'deleted'",
      ),
      code: db.prepare('SELECT code, display, billable, status, parent FROM icd WHERE code = ?'),
      children: db.prepare(
        "SELECT code, display, billable, status, parent FROM icd WHERE parent = ? AND status != 'deleted' ORDER BY code",
      ),
      fts: db.prepare(
        'SELECT t.code, t.text, t.bag, t.source, t.weight, t.size FROM term t WHERE t.id IN (SELECT rowid FROM term_fts WHERE term_fts MATCH ?) ORDER BY t.size LIMIT ?',
      ),
      codePrefix: db.prepare(
        "SELECT code, display, billable, status, parent FROM icd WHERE code LIKE ? AND status != 'deleted' ORDER BY length(code), code LIMIT ?",
      ),
      drug: db.prepare('SELECT norm, name, rxcui, tty, ingredients, source FROM drug WHERE norm = ?'),
      scd: db.prepare('SELECT rxcui, tty, name, ingredients, brands FROM clinical_drug WHERE ingredients = ?'),
      loinc: db.prepare('SELECT code, display, units, abbreviations FROM loinc'),
    };
    this.drugFirstWords = new Set(
      (db.prepare('SELECT DISTINCT norm FROM drug').pluck().all() as string[]).map((n) => n.split(/[\s/-]+/)[0]!),
    );
    this.loincCodes = this.q.loinc.all();
    const blob = db.prepare("SELECT data FROM blob WHERE key = 'term-bags'").get() as { data: Buffer };
    this.bagFilter = new Uint8Array(blob.data.buffer, blob.data.byteOffset, blob.data.byteLength);
  }

  close(): void {
    this.db.close();
  }

  /** Terms whose sorted stems equal `bag` (live codes only). */
  termsFor(bag: string): TermMatch[] {
    if (!bloomHas(this.bagFilter, bag)) return [];
    let hit = this.bagCache.get(bag);
    if (!hit) {
      hit = this.q.termsByBag.all(bag);
      if (this.bagCache.size > 50_000) this.bagCache.clear();
      this.bagCache.set(bag, hit);
    }
    return hit;
  }

  code(code: string): IcdCode | null {
    const r = this.q.code.get(code);
    return r ? { ...r, billable: r.billable === 1 } : null;
  }

  children(code: string): IcdCode[] {
    return this.q.children.all(code).map((r) => ({ ...r, billable: r.billable === 1 }));
  }

  drugsNamed(norm: string): DrugName[] {
    let hit = this.drugCache.get(norm);
    if (!hit) {
      hit = this.q.drug.all(norm);
      this.drugCache.set(norm, hit);
    }
    return hit;
  }

  clinicalDrugs(ingredients: string): ClinicalDrug[] {
    return this.q.scd.all(ingredients);
  }

  /**
   * Type-ahead over every ICD-10-CM code (FY2027: added codes included, deleted codes never):
   * a code prefix ("E11.", "i10"), words ("high blood pressure"), abbreviations ("htn", "t2dm"),
   * or the start of a word ("hyperten").
   */
  searchCodes(query: string, options: { limit?: number } = {}): CodeSearchResult[] {
    const limit = Math.max(1, Math.min(options.limit ?? 20, 200));
    const q = query.trim();
    if (!q) return [];
    const results = new Map<string, { r: CodeSearchResult; score: number }>();
    const put = (r: CodeSearchResult, score: number) => {
      const prev = results.get(r.code);
      if (!prev || prev.score < score) results.set(r.code, { r, score });
    };
    if (/^[A-Za-z][0-9][0-9A-Za-z]?(\.[0-9A-Za-z]{0,4})?$/.test(q)) {
      for (const r of this.q.codePrefix.all(`${q.toUpperCase().replace(/[%_]/g, '')}%`, limit)) {
        put({ code: r.code, display: r.display, billable: r.billable === 1 }, 10 - r.code.length * 0.1);
      }
    }
    const tokens = tokenize(normalisePhrase(q))
      .map((t) => t.stem.replace(/[^a-z0-9]/g, ''))
      .filter(Boolean);
    if (tokens.length) {
      // Whole words match exactly; the last word being typed matches as a prefix.
      const last = tokens.length - 1;
      const words = [...new Set(tokens)];
      const match = words.map((w, i) => (i === words.indexOf(tokens[last]!) && w.length >= 2 ? `"${w}"*` : `"${w}"`)).join(' AND ');
      const queryBag = bagOf(tokens);
      const rows = this.q.fts.all(match, 4000);
      for (const row of rows) {
        const info = this.code(row.code);
        if (!info || info.status === 'deleted') continue;
        const exact = row.bag === queryBag;
        const coverage = tokens.length / Math.max(row.size, tokens.length);
        const score =
          coverage * 2 +
          (exact ? 2 : 0) +
          row.weight +
          (info.billable ? 0.3 : 0) +
          (row.source === 'index' ? 0.2 : 0) -
          info.code.length * 0.01;
        put({ code: info.code, display: info.display, billable: info.billable }, score);
      }
    }
    return [...results.values()]
      .sort((a, b) => b.score - a.score || a.r.code.localeCompare(b.r.code))
      .slice(0, limit)
      .map((x) => x.r);
  }
}
