import { useEffect, useRef, useState } from 'react';
import type { ChartCitation, Draft, DraftSection, Visit } from '../../../app/contract/index.ts';
import { ApiError, callScribe, errorText } from '../bridge.ts';
import { DictateControl, type DictationHandle, type DictationHost, type TextRange } from '../dictation/dictate-control.tsx';
import { sentenceUnder } from '../draft/evidence.ts';
import { useEditorActivity } from '../metrics/use-editor-activity.ts';
import { SectionField } from '../note/section-field.tsx';
import { SECTION_MAX_CHARS } from '../note/section-limits.ts';
import '../style/style.css';
import { FlaggedSentences } from '../draft/flagged-sentences.tsx';

const SAVE_DELAY_MS = 600;

/** What the clinician's learned style changed in this section ("from your style", with the rule). */
function StyleMarks({ draft, section }: { draft: Draft; section: DraftSection }) {
  const changes = (draft.style?.applied ?? []).filter((c) => c.sectionId === section.id && c.kind !== 'section.remove');
  if (changes.length === 0) return null;
  return (
    <p className="from-style" data-testid={`style-marks-${section.id}`}>
      <mark>from your style</mark>
      {changes.map((c, i) => (
        <span key={i} className="style-change" data-rule={c.ruleId} title={`Rule: ${c.description}`}>
          {c.after ? (
            <>
              “<s>{c.before}</s>” → “{c.after}”
            </>
          ) : (
            <>
              removed “<s>{c.before}</s>”
            </>
          )}
        </span>
      ))}
    </p>
  );
}

export function NoteEditor({
  visit,
  readOnly,
  onDraft,
  onEvidence,
  onError,
  onOverLimit,
  onSaved,
  dictation = false,
}: {
  visit: Visit;
  readOnly: boolean;
  /** Show the Dictate control (the visit's clinician). */
  dictation?: boolean;
  onDraft: (d: Draft) => void;
  /** The sentence under the cursor: the turns it cites, and the chart facts it took (decision 0204). */
  onEvidence: (ids: ReadonlySet<string>, chart: readonly ChartCitation[]) => void;
  onError: (message: string) => void;
  /** Titles of sections whose text is over the length limit (not saved until shortened). */
  onOverLimit?: (titles: string[]) => void;
  /** A save went through (for the screen's status region). */
  onSaved?: () => void;
}) {
  const draft = visit.draft!;
  const [texts, setTexts] = useState<Record<string, string>>(() => Object.fromEntries(draft.sections.map((s) => [s.id, s.text])));
  const [saving, setSaving] = useState<'idle' | 'pending' | 'saving' | 'saved'>('idle');
  /** A save that failed, shown under the section it belongs to (not at the top of the page). */
  const [sectionErrors, setSectionErrors] = useState<Record<string, string>>({});
  const version = useRef(draft.version);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const chain = useRef<Promise<void>>(Promise.resolve());
  // Dictation: where the caret is, what was dictated (the clinician's own words), and the live dictation.
  const caret = useRef({ sectionId: draft.sections.at(-1)?.id ?? '', offset: draft.sections.at(-1)?.text.length ?? 0 });
  const dictationHandle = useRef<DictationHandle | null>(null);
  const [dictated, setDictated] = useState<Record<string, TextRange[]>>({});
  const textsRef = useRef(texts);
  textsRef.current = texts;
  // Practice metrics: active editing time in this note (renderer/src/metrics/activityTracker.ts).
  const editorRoot = useEditorActivity(visit.id, !readOnly);
  const dictationHost: DictationHost = {
    snapshot: () => ({ texts: { ...textsRef.current }, caret: { ...caret.current } }),
    applyText(sectionId, text, at, spans) {
      textsRef.current = { ...textsRef.current, [sectionId]: text };
      schedule(sectionId, text);
      setDictated((prev) => ({ ...prev, [sectionId]: spans }));
      caret.current = { ...at };
      requestAnimationFrame(() => {
        const el = document.getElementById(`section-${at.sectionId}`) as HTMLTextAreaElement | null;
        if (!el) return;
        if (document.activeElement !== el) el.focus();
        el.setSelectionRange(at.offset, at.offset);
      });
    },
  };
  function trackCaret(sectionId: string, el: HTMLTextAreaElement) {
    if (caret.current.sectionId === sectionId && caret.current.offset === el.selectionStart) return;
    caret.current = { sectionId, offset: el.selectionStart };
    dictationHandle.current?.caretMoved(sectionId, el.selectionStart);
  }

  const overLimit = draft.sections
    .filter((s) => (texts[s.id] ?? '').length > SECTION_MAX_CHARS)
    .map((s) => s.title)
    .join('\n');
  useEffect(() => onOverLimit?.(overLimit ? overLimit.split('\n') : []), [overLimit, onOverLimit]);

  // A newer draft from the core (regenerate, another editor) replaces sections nobody is typing in.
  useEffect(() => {
    if (draft.version > version.current || timers.current.size === 0) {
      version.current = draft.version;
      setTexts((prev) => Object.fromEntries(draft.sections.map((s) => [s.id, timers.current.has(s.id) ? (prev[s.id] ?? s.text) : s.text])));
    }
  }, [draft]);

  const sectionError = (sectionId: string, message: string | null) =>
    setSectionErrors((prev) => {
      const next = { ...prev };
      if (message) next[sectionId] = message;
      else delete next[sectionId];
      return next;
    });

  function save(sectionId: string, text: string) {
    // Over the limit: not sent (the core would refuse it); the words under the box say what to do.
    if (text.length > SECTION_MAX_CHARS) {
      setSaving('idle');
      return;
    }
    chain.current = chain.current.then(async () => {
      setSaving('saving');
      try {
        const next = await callScribe('draft.updateSection', { visitId: visit.id, sectionId, text, baseVersion: version.current });
        version.current = next.version;
        onDraft(next);
        sectionError(sectionId, null);
        setSaving('saved');
        onSaved?.();
      } catch (e) {
        setSaving('idle');
        if (e instanceof ApiError && e.code === 'conflict') {
          const fresh = await callScribe('visit.get', { visitId: visit.id });
          if (fresh.draft) version.current = fresh.draft.version;
          sectionError(
            sectionId,
            `Someone else changed this note; your text for this section is kept — review it and save again. (${e.message})`,
          );
        } else {
          sectionError(sectionId, `Not saved: ${errorText(e)}`);
        }
      }
    });
  }

  function change(sectionId: string, text: string, el?: HTMLTextAreaElement) {
    if (el) {
      caret.current = { sectionId, offset: el.selectionStart };
      dictationHandle.current?.localEdit(sectionId, text, el.selectionStart);
    }
    schedule(sectionId, text);
  }

  function schedule(sectionId: string, text: string) {
    setTexts((prev) => ({ ...prev, [sectionId]: text }));
    setSaving('pending');
    const t = timers.current.get(sectionId);
    if (t) clearTimeout(t);
    timers.current.set(
      sectionId,
      setTimeout(() => {
        timers.current.delete(sectionId);
        save(sectionId, text);
      }, SAVE_DELAY_MS),
    );
  }

  function flush(sectionId: string) {
    const t = timers.current.get(sectionId);
    if (!t) return;
    clearTimeout(t);
    timers.current.delete(sectionId);
    save(sectionId, texts[sectionId] ?? '');
  }

  function showEvidence(section: DraftSection, el: HTMLTextAreaElement) {
    if (el.value !== section.text) return onEvidence(new Set(), []);
    const sentence = sentenceUnder(section, el.selectionStart);
    onEvidence(new Set(sentence?.evidence ?? []), sentence?.chart ?? []);
  }

  return (
    <div className="note-editor" data-testid="note-editor" ref={editorRoot}>
      <div className="editor-head">
        <h2>Note</h2>
        <span className="muted" data-testid="save-state">
          {saving === 'pending' || saving === 'saving' ? 'Saving…' : saving === 'saved' ? 'All changes saved' : ''}
        </span>
        <span
          className="muted draft-origin"
          data-testid="draft-origin"
          title={`${draft.engine} ${draft.engineVersion}${draft.model?.sha256 ? ` sha256 ${draft.model.sha256}` : ''}`}
        >
          {visit.consent === 'declined' && 'Not recorded (the patient declined): written by the clinician, no AI draft'}
          {visit.consent !== 'declined' && draft.engine === 'builtin' && 'Drafted on this workstation (built-in drafter)'}
          {visit.consent !== 'declined' &&
            draft.engine === 'llm' &&
            `Drafted on this workstation by ${draft.model?.name ?? 'a language model'}`}
          {visit.consent !== 'declined' &&
            draft.engine === 'server' &&
            `Drafted by the practice server (${draft.model?.name ?? 'language model'})`}
        </span>
      </div>
      {draft.fallback && (
        <p className="draft-fallback" role="status" data-testid="draft-fallback">
          {draft.fallback}
        </p>
      )}
      {dictation && !readOnly && <DictateControl visitId={visit.id} host={dictationHost} handleRef={dictationHandle} onError={onError} />}
      {(draft.style?.removedSections ?? []).map((r) => (
        <details className="style-removed" key={r.id} data-testid={`style-removed-${r.id}`}>
          <summary title={`Rule: ${draft.style?.applied.find((c) => c.ruleId === r.ruleId)?.description ?? ''}`}>
            <mark>from your style</mark> Left out “{r.title}”, as in the notes you sign.{' '}
            <span className="link-like">Show the drafted text</span>
          </summary>
          <pre>{r.text || 'Nothing was drafted for it.'}</pre>
          {!readOnly && (
            <button
              type="button"
              data-testid={`style-restore-${r.id}`}
              onClick={() =>
                callScribe('style.restoreSection', { visitId: visit.id, sectionId: r.id, baseVersion: version.current }).then(
                  onDraft,
                  (e: unknown) => onError(`Could not put the section back: ${errorText(e)}`),
                )
              }
            >
              Put “{r.title}” back in this note
            </button>
          )}
        </details>
      ))}
      {draft.sections.map((section) => (
        <SectionField
          key={section.id}
          id={`section-${section.id}`}
          title={section.title}
          text={texts[section.id] ?? ''}
          error={sectionErrors[section.id] ?? null}
          data-testid={`section-${section.id}`}
          data-edited={section.edited ? 'true' : 'false'}
          readOnly={readOnly}
          placeholder={
            readOnly
              ? 'Nothing in this section.'
              : dictation
                ? 'Nothing drafted for this section. Type here, or dictate.'
                : 'Nothing drafted for this section. Type here.'
          }
          onChange={(e) => change(section.id, e.target.value, e.currentTarget)}
          onBlur={() => flush(section.id)}
          onSelect={(e) => {
            trackCaret(section.id, e.currentTarget);
            showEvidence(section, e.currentTarget);
          }}
          onClick={(e) => {
            trackCaret(section.id, e.currentTarget);
            showEvidence(section, e.currentTarget);
          }}
          onFocus={(e) => trackCaret(section.id, e.currentTarget)}
          dictated={
            <>
              <StyleMarks draft={draft} section={section} />
              {!readOnly && <FlaggedSentences visit={visit} sectionId={section.id} onDraft={onDraft} onError={onError} />}
              {(dictated[section.id]?.length ?? 0) > 0 && (
                <p
                  className="dictated"
                  data-testid={`dictated-${section.id}`}
                  title="Dictated by the clinician: their own words, evidence of themselves"
                >
                  Your dictated words:{' '}
                  {dictated[section.id]!.map((r, i) => (
                    <mark key={i}>{(texts[section.id] ?? '').slice(r.start, r.end)}</mark>
                  ))}
                </p>
              )}
            </>
          }
        />
      ))}
    </div>
  );
}
