import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { bloomAdd, bloomSize } from './bloom.ts';
import { bagOf, LAY_PHRASES, tokenize } from './text.ts';

/**
 * Compiles the terminology pack's TSV files into one SQLite file (`index.sqlite`) the suggesters read.
 * Runs once, after install (see docs/decisions/0041). Bump INDEX_FORMAT when the schema or the
 * term generation changes: an index of another format is rebuilt.
 */
export const INDEX_FORMAT = 10;
export const INDEX_FILE = 'index.sqlite';

type Row = Record<string, string>;

/** Reads a TSV with a header row; fields quoted csv-style only when they contain a quote (RFC 4180 quoting). */
export function readTsv(file: string): Row[] {
  return parse(readFileSync(file, 'utf8'), { delimiter: '\t', columns: true, skip_empty_lines: true, relax_column_count: true, bom: true });
}

/**
 * Codes the FY2027 update deleted whose meaning moved elsewhere than their own new children
 * (from the FY2027 addenda: plantar fasciitis left M72.2 for the new M67.A- subcategory).
 */
const FY2027_MOVED: Array<{ from: string; when: RegExp; to: string }> = [{ from: 'M72.2', when: /fasciitis/i, to: 'M67.A0' }];

/** Headers the FY2027 addenda imply but the (FY2026) order file cannot hold. */
const FY2027_HEADERS: Record<string, string> = {
  'M67.A': 'Plantar fasciitis',
  'M67.A0': 'Plantar fasciitis',
  'I42.0': 'Dilated cardiomyopathy',
  'I42.8': 'Other cardiomyopathies',
  'I49.8': 'Other specified cardiac arrhythmias',
  'D69.1': 'Qualitative platelet defects',
  'M72.2': 'Plantar fascial fibromatosis',
  'Z68.1': 'Body mass index [BMI] 19.9 or less, adult',
  'Z87.890': 'Personal history of gender transition',
};

/** Neoplasm table columns and the words a note uses for them. */
const NEOPLASM_COLUMNS: Array<{ column: string; words: string[] }> = [
  { column: 'Malignant Primary', words: ['cancer', 'malignant', 'malignancy', 'carcinoma'] },
  { column: 'Malignant Secondary', words: ['metastatic', 'metastasis', 'secondary malignant'] },
  { column: 'Ca in situ', words: ['in situ'] },
  { column: 'Benign', words: ['benign', 'adenoma'] },
];

/** Everyday words never taken as a drug name on their own (the drug table lists them as substances). */
const NOT_DRUG_NAMES = new Set([
  'water',
  'oxygen',
  'air',
  'salt',
  'sugar',
  'alcohol',
  'today',
  'plan',
  'iron',
  'food',
  'coffee',
  'tea',
  'milk',
  'juice',
  'ice',
  'heat',
  'gas',
  'soap',
  'wood',
  'paint',
  'glue',
  'smoke',
]);

/** Common ingredients starting with "A" missing from both the RxNorm extract and the CDC drug table. */
const A_INGREDIENTS = [
  'atorvastatin',
  'amlodipine',
  'alendronate',
  'apixaban',
  'aripiprazole',
  'anastrozole',
  'azithromycin',
  'acyclovir',
  'adalimumab',
  'albuterol',
  'alprazolam',
  'allopurinol',
  'amiodarone',
  'amitriptyline',
  'amoxicillin',
  'atenolol',
  'acetaminophen',
  'aspirin',
  'alogliptin',
  'apremilast',
  'armodafinil',
  'atomoxetine',
  'azelastine',
  'aclidinium',
  'abaloparatide',
  'abemaciclib',
  'abiraterone',
  'acalabrutinib',
  'adapalene',
  'afatinib',
  'alectinib',
  'alirocumab',
  'alosetron',
  'ambrisentan',
  'amphetamine',
  'ampicillin',
  'anakinra',
  'apalutamide',
  'atezolizumab',
  'avanafil',
  'azilsartan',
];

function dropParentheses(s: string): string {
  return s
    .replace(/\s*[([][^)\]]*[)\]]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function stemsOf(text: string): string[] {
  return tokenize(text).map((t) => t.stem);
}

export interface CompileReport {
  file: string;
  codes: number;
  terms: number;
  drugs: number;
  clinicalDrugs: number;
  millis: number;
}

/** Builds `<dir>/index.sqlite` from the pack's files in `dir` (atomically: temp file, then rename). */
export function compileTerminologyIndex(dir: string): CompileReport {
  const t0 = performance.now();
  const out = path.join(dir, INDEX_FILE);
  const tmp = `${out}.building-${process.pid}`;
  rmSync(tmp, { force: true });
  const db = new Database(tmp);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(`
      CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE icd(code TEXT PRIMARY KEY, display TEXT NOT NULL, billable INTEGER NOT NULL, status TEXT NOT NULL, parent TEXT) WITHOUT ROWID;
      CREATE TABLE term(id INTEGER PRIMARY KEY, bag TEXT NOT NULL, code TEXT NOT NULL, text TEXT NOT NULL, source TEXT NOT NULL, weight REAL NOT NULL, size INTEGER NOT NULL);
      CREATE TABLE drug(norm TEXT NOT NULL, name TEXT NOT NULL, rxcui TEXT, tty TEXT NOT NULL, ingredients TEXT NOT NULL, source TEXT NOT NULL);
      CREATE TABLE clinical_drug(rxcui TEXT PRIMARY KEY, tty TEXT NOT NULL, name TEXT NOT NULL, ingredients TEXT NOT NULL, brands TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE loinc(code TEXT PRIMARY KEY, display TEXT NOT NULL, units TEXT NOT NULL, abbreviations TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE blob(key TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
    `);
    const f = (name: string) => path.join(dir, name);

    // ── ICD-10-CM codes: FY2026 order file (billable + headers), then the FY2027 update ──────────
    const codes = new Map<string, { display: string; billable: boolean; status: 'active' | 'added' | 'deleted' | 'expanded' }>();
    for (const r of readTsv(f('icd10cm-order.tsv'))) {
      codes.set(r.code!, { display: r.description!, billable: r.billable === '1', status: 'active' });
    }
    const fy2027 = new Set<string>();
    for (const r of readTsv(f('icd10cm-codes-fy2027.tsv'))) {
      fy2027.add(r.code!);
      const prev = codes.get(r.code!);
      codes.set(r.code!, { display: r.description!, billable: true, status: prev ? 'active' : 'added' });
    }
    const deleted = new Set<string>();
    for (const r of readTsv(f('icd10cm-fy2027-changes.tsv'))) if (r.change === 'deleted') deleted.add(r.code!);
    for (const [code, c] of codes) {
      if (c.billable && !fy2027.has(code)) c.status = 'deleted';
    }
    // A FY2026 billable code that FY2027 split into children is now a header ('expanded').
    for (const [code, display] of Object.entries(FY2027_HEADERS)) {
      codes.set(code, { display, billable: false, status: codes.has(code) ? 'expanded' : 'active' });
    }
    const parentOf = (code: string): string | null => {
      let c = code;
      while (c.length > 3) {
        c = c.slice(0, -1);
        if (c.endsWith('.')) c = c.slice(0, -1);
        if (codes.has(c) && codes.get(c)!.status !== 'deleted') return c;
      }
      return null;
    };
    const insertIcd = db.prepare('INSERT INTO icd VALUES (?, ?, ?, ?, ?)');

    /** Maps a code written in the index or a table (maybe "I50.9", "M54.5-", a deleted FY2026 code) to a live one. */
    const liveCode = (raw: string, termText: string): string | null => {
      const code = raw.replace(/-+$/, '').replace(/\.$/, '').trim();
      if (!code) return null;
      for (const m of FY2027_MOVED) if (m.from === code && m.when.test(termText)) return m.to;
      const c = codes.get(code);
      if (c && c.status !== 'deleted') return code;
      return null;
    };

    // ── terms ────────────────────────────────────────────────────────────────────────────────
    const terms = new Map<string, { bag: string; code: string; text: string; source: string; weight: number; size: number }>();
    const addTerm = (text: string, code: string | null, source: string, weight: number, extra: string[] = []) => {
      if (!code) return;
      const st = [...stemsOf(text), ...extra];
      if (!st.length) return;
      const bag = bagOf(st);
      const key = `${bag}|${code}`;
      const prev = terms.get(key);
      if (!prev || prev.weight < weight) terms.set(key, { bag, code, text, source, weight, size: bag.split(' ').length });
    };

    for (const [code, c] of codes) {
      if (c.status === 'deleted') continue;
      const w = c.billable ? 0.9 : 0.8;
      addTerm(c.display, code, 'description', w);
      const plain = dropParentheses(c.display);
      if (plain !== c.display) addTerm(plain, code, 'description', w - 0.02);
      const initial = c.display.match(/^(.*), initial encounter(?: for closed fracture)?$/);
      if (initial) addTerm(initial[1]!, code, 'description', 0.7);
      // "Transient tic disorder" is also written "transient tics".
      if (/\bdisorders?\b/i.test(plain) && plain.split(' ').length > 2)
        addTerm(plain.replace(/\bdisorders?\b/gi, ''), code, 'description', w - 0.08);
    }
    for (const r of readTsv(f('icd10cm-codes.tsv'))) {
      if (r.short_description && r.short_description !== r.description)
        addTerm(r.short_description, liveCode(r.code!, ''), 'description', 0.85);
    }

    for (const r of readTsv(f('icd10cm-index.tsv'))) {
      const direct = r.code ? liveCode(r.code, r.term_path!) : null;
      const code = direct ?? (r.see_resolved_code ? liveCode(r.see_resolved_code, r.term_path!) : null);
      if (!code) continue;
      const weight = direct ? 1.0 : 0.95;
      const parts = r.term_path!.split(' > ');
      const main = parts[0]!.replace(/\(s\)/g, '');
      const rest = parts.slice(1).join(' ');
      // "Failure, failed" lists word forms; "Apneumatosis, newborn" is an inverted phrase.
      const commaParts = main.split(/,\s*/).filter(Boolean);
      const wordForms =
        commaParts.length > 1 &&
        commaParts.slice(1).every((p) => !p.includes(' ') && p.slice(0, 4).toLowerCase() === commaParts[0]!.slice(0, 4).toLowerCase());
      // An inverted main term is also found by its head word alone ("Fracture, traumatic > finger" = finger fracture).
      const heads: Array<[string, number]> = wordForms
        ? commaParts.slice(0, 3).map((h) => [h, weight])
        : commaParts.length > 1 && parts.length > 1
          ? [
              [commaParts.join(' '), weight],
              [commaParts[0]!, weight - 0.05],
            ]
          : [[commaParts.join(' '), weight]];
      const modifiers = [...(r.nonessential_modifiers ?? '').matchAll(/\(([^)]*)\)/g)].map((m) => m[1]!).slice(0, 6);
      for (const [head, w] of heads) {
        const text = `${head} ${rest}`.trim();
        addTerm(text, code, 'index', w);
        for (const mod of modifiers) addTerm(`${mod} ${text}`, code, 'index', w - 0.03);
        // Ligaments sprain, but notes often say "strain": "MCL strain" is a sprain of the MCL.
        if (/^sprain/i.test(head) && /ligament/i.test(rest)) addTerm(`strain ${rest}`, code, 'index', w - 0.04);
      }
    }

    for (const r of readTsv(f('icd10cm-neoplasm-table.tsv'))) {
      const parts = r.term_path!.split(' > ').slice(1);
      if (!parts.length) continue;
      const site = parts.join(' ');
      for (const { column, words } of NEOPLASM_COLUMNS) {
        const code = r[column] ? liveCode(r[column]!, '') : null;
        for (const w of words) addTerm(`${w} ${site}`, code, 'neoplasm table', 0.9);
      }
    }

    // Lay phrases: "high blood pressure" gets every code "hypertension" has.
    const byBag = new Map<string, typeof terms extends Map<string, infer V> ? V[] : never>();
    for (const t of terms.values()) {
      const list = byBag.get(t.bag);
      if (list) list.push(t);
      else byBag.set(t.bag, [t]);
    }
    for (const [lay, clinical] of LAY_PHRASES) {
      for (const t of byBag.get(bagOf(stemsOf(clinical))) ?? []) addTerm(lay, t.code, 'lay term', t.weight - 0.02);
    }

    const insertTerm = db.prepare('INSERT INTO term(bag, code, text, source, weight, size) VALUES (?, ?, ?, ?, ?, ?)');
    const insertDrug = db.prepare('INSERT INTO drug VALUES (?, ?, ?, ?, ?, ?)');
    const insertScd = db.prepare('INSERT OR IGNORE INTO clinical_drug VALUES (?, ?, ?, ?, ?)');
    let drugCount = 0;
    let scdCount = 0;
    db.transaction(() => {
      for (const [code, c] of codes) insertIcd.run(code, c.display, c.billable ? 1 : 0, c.status, parentOf(code));
      // A description term's text is the code's display: stored once, in icd.
      for (const t of terms.values())
        insertTerm.run(
          t.bag,
          t.code,
          t.source === 'description' && t.text === codes.get(t.code)?.display ? '' : t.text,
          t.source,
          t.weight,
          t.size,
        );
      const bloom = new Uint8Array(bloomSize(terms.size));
      for (const t of terms.values()) bloomAdd(bloom, t.bag);
      db.prepare('INSERT INTO blob VALUES (?, ?)').run('term-bags', Buffer.from(bloom));

      // ── medications ─────────────────────────────────────────────────────────────────────
      const known = new Set<string>();
      for (const r of readTsv(f('medications-rxnorm.tsv'))) {
        const norm = r.normalized_name!.toLowerCase();
        if (NOT_DRUG_NAMES.has(norm)) continue;
        known.add(norm);
        insertDrug.run(norm, r.name!, r.rxcui || null, r.rxcui_tty!, r.ingredient_names!, 'RxNorm prescribable 2025-10-06');
        drugCount++;
      }
      // The RxNorm extract lacks ingredients starting with "A" (SOURCES.md): the CDC Table of Drugs names
      // medicinal substances (those with an adverse-effect code) and fills the names, without RXCUIs.
      for (const r of readTsv(f('icd10cm-drug-table.tsv'))) {
        if (r.level !== '0') continue;
        const adverse = r['Adverse effect'] ?? '';
        if (!adverse || adverse === '--') continue;
        const name = dropParentheses(r.term!)
          .replace(/\s+NEC$/, '')
          .trim();
        const norm = name.toLowerCase();
        if (!/^a/.test(norm) || known.has(norm) || NOT_DRUG_NAMES.has(norm) || norm.length < 4 || /[,;]/.test(norm)) continue;
        known.add(norm);
        insertDrug.run(norm, norm, null, 'IN', norm, 'CDC Table of Drugs and Chemicals 2026 (name only)');
        drugCount++;
      }
      // Newer A-ingredients the 2026 drug table predates: names only (no RXCUI is invented).
      for (const norm of A_INGREDIENTS) {
        if (known.has(norm)) continue;
        known.add(norm);
        insertDrug.run(norm, norm, null, 'IN', norm, 'Scribe list of common A-ingredients (name only; RxNorm extract gap)');
        drugCount++;
      }
      for (const r of readTsv(f('medications-clinical-drugs.tsv'))) {
        insertScd.run(r.rxcui!, r.tty!, r.name!, r.ingredient_names!, r.brand_names ?? '');
        scdCount++;
      }
      for (const r of readTsv(f('loinc-vital-signs.tsv'))) {
        db.prepare('INSERT INTO loinc VALUES (?, ?, ?, ?)').run(
          r.loinc_code!,
          r.display!,
          r.ucum_units ?? '',
          r.common_abbreviations ?? '',
        );
      }
      const meta = db.prepare('INSERT INTO meta VALUES (?, ?)');
      meta.run('format', String(INDEX_FORMAT));
      meta.run('builtAt', new Date().toISOString());
      meta.run('icdRelease', 'ICD-10-CM FY2027 (FY2026 order file + FY2027 addenda); Alphabetic Index FY2025');
    })();
    db.exec(`
      CREATE INDEX term_bag ON term(bag);
      CREATE INDEX icd_parent ON icd(parent);
      CREATE INDEX drug_norm ON drug(norm);
      CREATE INDEX scd_ingredients ON clinical_drug(ingredients);
      CREATE VIRTUAL TABLE term_fts USING fts5(bag, content='term', content_rowid='id', columnsize=0, detail=none, tokenize="unicode61 tokenchars '0123456789'");
      INSERT INTO term_fts(rowid, bag) SELECT id, bag FROM term;
      INSERT INTO term_fts(term_fts) VALUES ('optimize');
    `);
    db.exec('VACUUM');
    db.close();
    renameSync(tmp, out);
    return { file: out, codes: codes.size, terms: terms.size, drugs: drugCount, clinicalDrugs: scdCount, millis: performance.now() - t0 };
  } catch (e) {
    try {
      db.close();
    } catch {
      /* already closed */
    }
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** True when `dir` holds an index of the current format. */
export function hasCurrentIndex(dir: string): boolean {
  const file = path.join(dir, INDEX_FILE);
  if (!existsSync(file)) return false;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare("SELECT value FROM meta WHERE key = 'format'").get() as { value: string } | undefined;
      return row?.value === String(INDEX_FORMAT);
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}
