import type { DictationCursor, DictationEffect } from '../contract/index.ts';
import { interpretUtterance, shapeInsertion, type DictationCommand, type InterpretedUtterance, type PunctuationMark } from './commands.ts';

/** Where the next dictated words go. `offset` counts UTF-16 code units, like a textarea's selectionStart. */
export type Cursor = DictationCursor;

export interface SectionText {
  id: string;
  title: string;
  text: string;
}

/**
 * A run of characters the clinician dictated: their own words, evidence of themselves, and left out of
 * draft-retention figures (they were never part of the AI draft).
 */
export interface DictatedSpan {
  sectionId: string;
  start: number;
  end: number;
  utteranceId: string;
}

export type { DictationEffect };

export interface DictationSnapshot {
  sections: SectionText[];
  cursor: Cursor;
  spans: DictatedSpan[];
  stopped: boolean;
}

/** One piece of text dictation put into a section (a phrase, a mark, a line break). */
interface Insertion {
  sectionId: string;
  start: number;
  text: string;
  /** Someone edited inside it since: "scratch that" will not remove text a person changed. */
  broken: boolean;
}

/** A dictated phrase and the marks and breaks dictated right after it: what "scratch that" removes. */
interface Phrase {
  insertions: Insertion[];
  /** Still collecting marks/breaks that follow the phrase. */
  open: boolean;
}

interface Range {
  start: number;
  end: number;
}

/**
 * Where a range ends up after [editStart, editEnd) was replaced by `insertedLength` characters.
 * Text the edit replaced drops out of the range, so a range may split in two (or vanish).
 */
export function mapRange(range: Range, editStart: number, editEnd: number, insertedLength: number): Range[] {
  const delta = insertedLength - (editEnd - editStart);
  if (range.end <= editStart) return [range];
  if (range.start >= editEnd) return [{ start: range.start + delta, end: range.end + delta }];
  const pieces: Range[] = [];
  if (range.start < editStart) pieces.push({ start: range.start, end: editStart });
  if (range.end > editEnd) pieces.push({ start: editEnd + delta, end: range.end + delta });
  return pieces;
}

/** The smallest replacement turning `before` into `after` (common prefix and suffix kept). */
export function diffBounds(before: string, after: string): { start: number; oldEnd: number; newEnd: number } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let oldEnd = before.length;
  let newEnd = after.length;
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { start, oldEnd, newEnd };
}

/**
 * Applies final dictated utterances to a note's sections at a cursor. Tracks which characters were
 * dictated, and what "scratch that" would remove, across the person's own typing in between
 * (report it with replaceSectionText / moveCursor).
 */
export class DictationSession {
  private readonly texts = new Map<string, SectionText>();
  private spanList: DictatedSpan[];
  private phrases: Phrase[] = [];
  private cursorAt: Cursor;
  private stoppedFlag = false;
  private counter = 0;

  constructor(init: { sections: readonly SectionText[]; cursor: Cursor; spans?: readonly DictatedSpan[] }) {
    if (init.sections.length === 0) throw new Error('A dictation needs at least one note section');
    for (const s of init.sections) this.texts.set(s.id, { ...s });
    this.spanList = (init.spans ?? []).filter((s) => this.texts.has(s.sectionId)).map((s) => ({ ...s }));
    this.cursorAt = this.clampCursor(init.cursor);
  }

  get cursor(): Cursor {
    return { ...this.cursorAt };
  }

  get stopped(): boolean {
    return this.stoppedFlag;
  }

  sectionText(sectionId: string): string {
    const section = this.texts.get(sectionId);
    if (!section) throw new Error(`No section ${sectionId} in this note`);
    return section.text;
  }

  sections(): SectionText[] {
    return [...this.texts.values()].map((s) => ({ ...s }));
  }

  /** Dictated spans, merged where adjacent, in text order. */
  spans(sectionId?: string): DictatedSpan[] {
    return this.spanList
      .filter((s) => sectionId === undefined || s.sectionId === sectionId)
      .map((s) => ({ ...s }))
      .sort((a, b) => (a.sectionId === b.sectionId ? a.start - b.start : a.sectionId < b.sectionId ? -1 : 1));
  }

  /** How many characters of a section were dictated (for draft-retention figures). */
  dictatedLength(sectionId: string): number {
    const ranges = this.spans(sectionId);
    let total = 0;
    let reach = 0;
    for (const r of ranges) {
      const start = Math.max(r.start, reach);
      if (r.end > start) total += r.end - start;
      reach = Math.max(reach, r.end);
    }
    return total;
  }

  snapshot(): DictationSnapshot {
    return { sections: this.sections(), cursor: this.cursor, spans: this.spans(), stopped: this.stoppedFlag };
  }

  /** The person clicked or moved the caret. Closes the current phrase: marks no longer attach to it. */
  moveCursor(cursor: Cursor): void {
    this.cursorAt = this.clampCursor(cursor);
    this.closePhrase();
  }

  /**
   * The person typed in a section (or another save replaced its text): dictated spans and the phrases
   * "scratch that" can remove follow the text; dictated characters they overwrote stop counting as dictated.
   */
  replaceSectionText(sectionId: string, text: string, cursorOffset?: number): void {
    const section = this.texts.get(sectionId);
    if (!section) throw new Error(`No section ${sectionId} in this note`);
    const { start, oldEnd, newEnd } = diffBounds(section.text, text);
    if (start !== oldEnd || start !== newEnd) {
      this.applyEdit(sectionId, start, oldEnd, text.slice(start, newEnd), false);
      this.closePhrase();
    }
    if (cursorOffset !== undefined && this.cursorAt.sectionId === sectionId) {
      this.cursorAt = this.clampCursor({ sectionId, offset: cursorOffset });
    }
  }

  /** Interpret and apply one final utterance from the recognizer. */
  applyUtterance(raw: string, utteranceId?: string): DictationEffect {
    return this.apply(interpretUtterance(raw, this.sections()), utteranceId);
  }

  apply(utterance: InterpretedUtterance, utteranceId = `u${++this.counter}`): DictationEffect {
    if (this.stoppedFlag) return { kind: 'ignored', reason: 'dictation has stopped' };
    if (utterance.kind === 'empty') return { kind: 'ignored', reason: 'nothing was said' };
    if (utterance.kind === 'text') return this.insertPhrase(utterance.text, utteranceId);
    return this.runCommand(utterance.command, utteranceId);
  }

  private runCommand(command: DictationCommand, utteranceId: string): DictationEffect {
    switch (command.kind) {
      case 'punctuation':
        return this.insertMark(command.mark, utteranceId);
      case 'break':
        return this.insertBreak(command.text, utteranceId);
      case 'scratch':
        return this.scratchLastPhrase();
      case 'goto': {
        this.closePhrase();
        this.cursorAt = { sectionId: command.sectionId, offset: this.sectionText(command.sectionId).length };
        return { kind: 'moved', sectionId: command.sectionId };
      }
      case 'stop':
        this.closePhrase();
        this.stoppedFlag = true;
        return { kind: 'stopped' };
    }
  }

  private insertPhrase(words: string, utteranceId: string): DictationEffect {
    const { sectionId, offset } = this.cursorAt;
    const text = this.sectionText(sectionId);
    const shaped = shapeInsertion(words, text.slice(0, offset), text.slice(offset));
    this.closePhrase();
    const phrase: Phrase = { insertions: [], open: true };
    this.phrases.push(phrase);
    this.insertDictated(sectionId, offset, shaped, utteranceId, phrase);
    return { kind: 'inserted', sectionId, inserted: shaped, utteranceId };
  }

  private insertMark(mark: PunctuationMark, utteranceId: string): DictationEffect {
    const { sectionId, offset } = this.cursorAt;
    const text = this.sectionText(sectionId);
    // The mark belongs right after the last word, before spaces the caret sits behind ("stable |" -> "stable. |").
    let at = offset;
    while (at > 0 && (text[at - 1] === ' ' || text[at - 1] === '\t')) at--;
    const inserted = at === offset && /[\p{L}\p{N}]/u.test(text.charAt(offset)) ? `${mark} ` : mark;
    this.insertDictated(sectionId, at, inserted, utteranceId, this.openPhraseOrNew());
    this.cursorAt = { sectionId, offset: offset + inserted.length };
    return { kind: 'punctuated', sectionId, inserted, utteranceId };
  }

  private insertBreak(brk: '\n' | '\n\n', utteranceId: string): DictationEffect {
    const { sectionId, offset } = this.cursorAt;
    this.insertDictated(sectionId, offset, brk, utteranceId, this.openPhraseOrNew());
    return { kind: 'punctuated', sectionId, inserted: brk, utteranceId };
  }

  private openPhraseOrNew(): Phrase {
    const last = this.phrases.at(-1);
    if (last?.open) return last;
    const phrase: Phrase = { insertions: [], open: true };
    this.phrases.push(phrase);
    return phrase;
  }

  private closePhrase(): void {
    const last = this.phrases.at(-1);
    if (last) last.open = false;
  }

  /** Remove the last dictated phrase with the marks and breaks dictated after it. */
  private scratchLastPhrase(): DictationEffect {
    const phrase = this.phrases.pop();
    if (!phrase) return { kind: 'ignored', reason: 'nothing dictated to scratch' };
    const intact = phrase.insertions.every(
      (i) => !i.broken && this.sectionText(i.sectionId).slice(i.start, i.start + i.text.length) === i.text,
    );
    if (!intact || phrase.insertions.length === 0) {
      return { kind: 'ignored', reason: 'the last dictated phrase was edited by hand; it was left as it is' };
    }
    const sectionId = phrase.insertions[0]!.sectionId;
    let removed = '';
    // Latest first, so earlier insertions' positions stay valid.
    for (const insertion of [...phrase.insertions].sort((a, b) => b.start - a.start)) {
      this.applyEdit(insertion.sectionId, insertion.start, insertion.start + insertion.text.length, '', true);
      removed = insertion.text + removed;
    }
    this.closePhrase();
    return { kind: 'scratched', sectionId, removed };
  }

  private insertDictated(sectionId: string, at: number, text: string, utteranceId: string, phrase: Phrase): void {
    this.applyEdit(sectionId, at, at, text, true);
    phrase.insertions.push({ sectionId, start: at, text, broken: false });
    // The span covers the words and marks, not the separating spaces.
    const lead = text.length - text.trimStart().length;
    const trail = text.length - text.trimEnd().length;
    if (text.trim()) {
      this.spanList.push({ sectionId, start: at + lead, end: at + text.length - trail, utteranceId });
    }
  }

  /** Replace [start, end) of a section with `text`, carrying spans, phrases and the caret along. */
  private applyEdit(sectionId: string, start: number, end: number, text: string, byDictation: boolean): void {
    const section = this.texts.get(sectionId)!;
    section.text = section.text.slice(0, start) + text + section.text.slice(end);
    const nextSpans: DictatedSpan[] = [];
    for (const span of this.spanList) {
      if (span.sectionId !== sectionId) {
        nextSpans.push(span);
        continue;
      }
      for (const piece of mapRange(span, start, end, text.length)) {
        if (piece.end > piece.start) nextSpans.push({ ...span, ...piece });
      }
    }
    this.spanList = nextSpans;
    for (const phrase of this.phrases) {
      for (const insertion of phrase.insertions) {
        if (insertion.sectionId !== sectionId) continue;
        const mapped = mapRange({ start: insertion.start, end: insertion.start + insertion.text.length }, start, end, text.length);
        const first = mapped[0];
        if (mapped.length !== 1 || !first || first.end - first.start !== insertion.text.length) {
          insertion.broken = true;
        } else {
          insertion.start = first.start;
        }
      }
    }
    if (this.cursorAt.sectionId === sectionId) {
      const caret = this.cursorAt.offset;
      if (byDictation && caret >= start) {
        // Dictation leaves the caret after what it wrote (or shifted by what it removed).
        this.cursorAt.offset = caret >= end ? caret + text.length - (end - start) : start + text.length;
      } else if (!byDictation && caret > start) {
        this.cursorAt.offset = caret >= end ? caret + text.length - (end - start) : start + text.length;
      }
    }
  }

  private clampCursor(cursor: Cursor): Cursor {
    const section = this.texts.get(cursor.sectionId);
    if (!section) throw new Error(`No section ${cursor.sectionId} in this note`);
    const offset = Math.max(0, Math.min(Math.trunc(cursor.offset), section.text.length));
    return { sectionId: cursor.sectionId, offset };
  }
}
