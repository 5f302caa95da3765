import { useEffect, useRef, useState } from 'react';
import type { CodingDecision, CodingHint, Visit } from '../../../app/contract/index.ts';
import { ApiError, callScribe, errorText } from '../bridge.ts';
import './coding.css';

type SearchResult = { code: string; display: string; billable: boolean };

const SYSTEMS: Array<{ system: CodingHint['system']; title: string }> = [
  { system: 'icd10cm', title: 'Diagnoses (ICD-10-CM)' },
  { system: 'rxnorm', title: 'Medications (RxNorm)' },
  { system: 'loinc', title: 'Vital signs (LOINC)' },
];

/** The words the hint was found on, inside its evidence sentence, for highlighting. */
function evidenceParts(visit: Visit, hint: CodingHint): [string, string, string] {
  const e = hint.evidence;
  let source = '';
  if (e.source === 'draft') source = visit.draft?.sections.find((s) => s.id === e.sectionId)?.text ?? '';
  else if (e.source === 'transcript') source = visit.transcript?.segments.find((s) => s.id === e.segmentIds?.[0])?.text ?? '';
  const words = source.slice(e.start, e.end);
  const at = words ? e.sentence.indexOf(words) : -1;
  if (at < 0) return [e.sentence, '', ''];
  return [e.sentence.slice(0, at), words, e.sentence.slice(at + words.length)];
}

/**
 * Coding hints beside the note: code, words, confidence and the sentence each came from; the clinician
 * accepts, rejects, or replaces a diagnosis through a type-ahead over all ICD-10-CM codes.
 */
export function CodingPanel({
  visit,
  canDecide,
  onHints,
  onAnnounce,
}: {
  visit: Visit;
  canDecide: boolean;
  /** The hints (null when they could not be read) and decisions, for the Sign review. */
  onHints?: (hints: CodingHint[] | null, decisions: CodingDecision[]) => void;
  /** A coding decision, in words, for the screen's status region. */
  onAnnounce?: (words: string) => void;
}) {
  const [hints, setHints] = useState<CodingHint[] | null>(null);
  const [decisions, setDecisions] = useState<CodingDecision[]>(visit.codingDecisions ?? []);
  const [error, setError] = useState<string | null>(null);
  const [unavailable, setUnavailable] = useState<string | null>(null);
  const [replacing, setReplacing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [busy, setBusy] = useState(false);
  /** Decided hints whose Accept/Reject buttons were brought back to change the decision. */
  const [changing, setChanging] = useState<string | null>(null);
  const focusAfter = useRef<string | null>(null);
  const panel = useRef<HTMLElement | null>(null);
  const onHintsRef = useRef(onHints);
  onHintsRef.current = onHints;
  const draftVersion = visit.draft?.version ?? null;

  useEffect(() => {
    let alive = true;
    callScribe('coding.suggest', { visitId: visit.id }).then(
      (r) => {
        if (!alive) return;
        setHints(r.hints);
        setDecisions(r.decisions);
        setError(null);
      },
      (e: unknown) => {
        if (!alive) return;
        // Terminology not installed: an admin task, said plainly, not an alarm in the clinician's face.
        if (e instanceof ApiError && e.code === 'unavailable') setUnavailable(e.message);
        else setError(errorText(e));
        onHintsRef.current?.(null, visit.codingDecisions ?? []);
      },
    );
    return () => {
      alive = false;
    };
  }, [visit.id, draftVersion]);
  useEffect(() => {
    if (hints) onHintsRef.current?.(hints, decisions);
    const id = focusAfter.current;
    if (!id || !panel.current) return;
    focusAfter.current = null;
    const hint = Array.from(panel.current.querySelectorAll<HTMLElement>('[data-hint-id]')).find((el) => el.dataset['hintId'] === id);
    (
      hint?.querySelector<HTMLElement>('[data-testid="hint-decision"]') ??
      panel.current.querySelector<HTMLElement>('[data-testid="add-diagnosis"]')
    )?.focus();
  }, [hints, decisions]);

  async function decide(hintId: string, action: CodingDecision['action'], code?: string) {
    setBusy(true);
    setError(null);
    try {
      const next = await callScribe('coding.decide', { visitId: visit.id, hintId, action, ...(code ? { code } : {}) });
      setDecisions(next);
      setReplacing(null);
      setAdding(false);
      setChanging(null);
      const d = next.find((x) => x.hintId === hintId);
      const what = d ? `${d.code ?? ''} ${d.display}`.trim() : hintId;
      onAnnounce?.(
        action === 'accept'
          ? `Accepted ${what}.`
          : action === 'reject'
            ? `Rejected ${what}.`
            : action === 'replace'
              ? `Replaced by ${what}.`
              : `Added ${what}.`,
      );
      // The buttons just pressed are gone: focus goes to the decision (after it is drawn), not to the page.
      focusAfter.current = hintId;
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const decisionOf = (id: string) => decisions.find((d) => d.hintId === id);
  const added = decisions.filter((d) => d.action === 'add');
  return (
    <aside className="coding-panel" data-testid="coding-panel" aria-label="Coding hints" ref={panel}>
      <h2>Coding hints</h2>
      {error && (
        <p className="error" role="alert" data-testid="coding-error">
          {error}
        </p>
      )}
      {unavailable && (
        <p className="muted" data-testid="coding-unavailable">
          {unavailable}
        </p>
      )}
      {!hints && !error && !unavailable && <p className="muted">Finding codes…</p>}
      {hints && hints.length === 0 && <p className="muted">No codes suggested for this note.</p>}
      {hints &&
        SYSTEMS.map(({ system, title }) => {
          const list = hints.filter((h) => h.system === system);
          if (!list.length) return null;
          return (
            <section key={system} className="coding-group">
              <h3>{title}</h3>
              <ul>
                {list.map((h) => {
                  const d = decisionOf(h.id);
                  const [before, words, after] = evidenceParts(visit, h);
                  return (
                    <li
                      key={h.id}
                      data-hint-id={h.id}
                      className={`hint ${d ? `hint-${d.action}` : ''}`}
                      data-testid={`hint-${h.id}`}
                      data-decision={d?.action ?? ''}
                    >
                      <div className="hint-line">
                        <code className="hint-code">{h.code ?? 'no RXCUI'}</code>
                        <span className="hint-display">
                          {h.display}
                          {h.system === 'loinc' && (
                            <strong>
                              {' '}
                              {h.value} {h.unit}
                            </strong>
                          )}
                        </span>
                        <span className="hint-confidence" title="Confidence">
                          {Math.round(h.confidence * 100)}%
                        </span>
                      </div>
                      {h.system === 'icd10cm' && !h.billable && (
                        <div className="hint-note">Category only: choose a more specific code to bill.</div>
                      )}
                      {h.parent && (
                        <div className="hint-note muted">
                          Under {h.parent.code} {h.parent.display}
                        </div>
                      )}
                      <blockquote className="hint-evidence">
                        {before}
                        <mark>{words}</mark>
                        {after}
                      </blockquote>
                      <div className="hint-why muted">{h.why}</div>
                      {d && (
                        <div className="hint-decision" data-testid="hint-decision" tabIndex={-1}>
                          {d.action === 'accept' && <>Accepted</>}
                          {d.action === 'reject' && <>Rejected</>}
                          {d.action === 'replace' && (
                            <>
                              Replaced by <code>{d.code}</code> {d.display}
                            </>
                          )}
                          {canDecide && changing !== h.id && (
                            <>
                              {' '}
                              <button
                                className="link"
                                data-testid="hint-change"
                                disabled={busy}
                                onClick={() => setChanging(h.id)}
                                aria-label={`Change the decision on ${h.code ?? h.display}`}
                              >
                                Change
                              </button>
                            </>
                          )}
                        </div>
                      )}
                      {canDecide && (!d || changing === h.id) && (
                        <div className="hint-actions">
                          <button
                            disabled={busy}
                            data-testid="hint-accept"
                            onClick={() => void decide(h.id, 'accept')}
                            aria-label={`Accept ${h.code ?? h.display}`}
                          >
                            Accept
                          </button>
                          <button
                            disabled={busy}
                            data-testid="hint-reject"
                            onClick={() => void decide(h.id, 'reject')}
                            aria-label={`Reject ${h.code ?? h.display}`}
                          >
                            Reject
                          </button>
                          {h.system === 'icd10cm' && (
                            <button
                              disabled={busy}
                              data-testid="hint-replace"
                              onClick={() => setReplacing(replacing === h.id ? null : h.id)}
                              aria-expanded={replacing === h.id}
                            >
                              Replace…
                            </button>
                          )}
                        </div>
                      )}
                      {replacing === h.id && (
                        <CodeTypeahead onPick={(code) => void decide(h.id, 'replace', code)} onCancel={() => setReplacing(null)} />
                      )}
                    </li>
                  );
                })}
              </ul>
            </section>
          );
        })}
      {(added.length > 0 || canDecide) && (
        <section className="coding-group" data-testid="added-diagnoses">
          <h3>Diagnoses added by the clinician</h3>
          <ul>
            {added.map((d) => (
              <li key={d.hintId} className="hint hint-accept" data-testid={`added-${d.code}`}>
                <div className="hint-line">
                  <code className="hint-code">{d.code}</code>
                  <span className="hint-display">{d.display}</span>
                  {canDecide && (
                    <button
                      disabled={busy}
                      data-testid="added-remove"
                      onClick={() => void decide(d.hintId, 'reject')}
                      aria-label={`Remove ${d.code}`}
                    >
                      Remove
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
          {canDecide && !adding && (
            <button disabled={busy} data-testid="add-diagnosis" onClick={() => setAdding(true)}>
              Add a diagnosis…
            </button>
          )}
          {canDecide && adding && (
            <CodeTypeahead onPick={(code) => void decide(`manual:${code}`, 'add', code)} onCancel={() => setAdding(false)} />
          )}
        </section>
      )}
    </aside>
  );
}

/** Type-ahead over every ICD-10-CM code: words, abbreviations ("htn") or a code prefix. */
export function CodeTypeahead({ onPick, onCancel }: { onPick: (code: string) => void; onCancel: () => void }) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<SearchResult[]>([]);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const listId = useRef(`codes-${Math.random().toString(36).slice(2, 9)}`).current;

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setResults([]);
      return;
    }
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      callScribe('coding.search', { query: q, limit: 12 }).then(
        (r) => {
          if (mine !== seq.current) return;
          setResults(r);
          setActive(0);
          setError(null);
        },
        (e: unknown) => mine === seq.current && setError(errorText(e)),
      );
    }, 120);
    return () => clearTimeout(timer);
  }, [query]);

  const pick = (r: SearchResult | undefined) => {
    if (r && r.billable) onPick(r.code);
  };
  return (
    <div className="typeahead" data-testid="code-typeahead">
      <input
        autoFocus
        role="combobox"
        aria-expanded={results.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={results[active] ? `${listId}-${results[active].code}` : undefined}
        aria-label="Search ICD-10-CM codes"
        placeholder="Search ICD-10-CM: words, abbreviation or code"
        value={query}
        data-testid="code-search"
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, results.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter') pick(results[active]);
          else if (e.key === 'Escape') onCancel();
        }}
      />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        {query.trim() ? `${results.length} codes found` : ''}
      </p>
      <ul role="listbox" id={listId} aria-label="ICD-10-CM codes">
        {results.map((r, i) => (
          <li
            key={r.code}
            id={`${listId}-${r.code}`}
            role="option"
            aria-selected={i === active}
            aria-disabled={!r.billable}
            className={`${i === active ? 'active' : ''} ${r.billable ? '' : 'category'}`}
            data-testid={`code-option-${r.code}`}
            onMouseDown={(e) => {
              e.preventDefault();
              pick(r);
            }}
          >
            <code>{r.code}</code> {r.display}
            {!r.billable && <span className="muted"> (category)</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
