import { join } from 'node:path';
import { CLINICAL_TERMS_FILE, defaultModelDir, parseTranscriptText } from '../app/draft/index.ts';
import { loadTermList } from '../app/draft/drug-names.ts';
import { inferPatientReference, NEUTRAL_PATIENT } from '../app/draft/rules/note-style.ts';
import { noteSentences, saidByClinician } from '../app/draft/rules/sentences.ts';
import { utterancesOf, withAnswersApart, withRolesSettled, type Utterance } from '../app/draft/utterances.ts';
import type { ConceptMatcher } from './draft-metrics.ts';

/**
 * `npm run bench:draft -- --misses`: every reference concept the transcript says but the draft lacks, traced to the
 * first turn that says it and the step that lost it (decisions 0170, 0192, 0193):
 * - "not chosen": a sentence the rules wrote from that turn names it (salience, budget or evidence guard left it out);
 * - "question": only questions say it (what the answer says decides);
 * - "clinician cut" / "patient cut": the rules wrote other sentences from that turn, none naming it;
 * - "clinician left out" / "patient left out": the rules wrote nothing from that turn.
 */

export interface Miss {
  concept: string;
  step: string;
  speaker: string;
  turn: string;
}

let terms: ReturnType<typeof loadTermList> | undefined;

const byClinician = (u: Utterance): boolean =>
  (u.speaker !== 'patient' && u.speaker !== 'other') || (u.speaker === 'patient' && saidByClinician(u.text));

export function missTrace(dialogue: string, draft: string, reference: string, concepts: ConceptMatcher): Miss[] {
  const said = concepts.concepts(dialogue);
  const drafted = concepts.concepts(draft);
  const missed = [...concepts.concepts(reference)].filter((c) => said.has(c) && !drafted.has(c));
  if (missed.length === 0) return [];
  terms ??= loadTermList(join(defaultModelDir(), CLINICAL_TERMS_FILE));
  const list = terms;
  const termsOf = (t: string): string[] => list.find(t).map((x) => x.name);
  const utterances = withAnswersApart(withRolesSettled(utterancesOf(parseTranscriptText(dialogue))));
  const clinician = utterances
    .filter((u) => u.speaker === 'clinician')
    .map((u) => u.text)
    .join(' ');
  const who = clinician ? inferPatientReference(clinician) : NEUTRAL_PATIENT;
  return missed.map((concept) => {
    const says = utterances.filter((u) => concepts.concepts(u.text).has(concept));
    const written = says.find((u) => noteSentences(u, who, termsOf).some((s) => concepts.concepts(s.text).has(concept)));
    const turn = written ?? says.find((u) => !u.isQuestion) ?? says[0];
    if (!turn) return { concept, step: 'split across turns', speaker: '', turn: '' };
    const role = byClinician(turn) ? 'clinician' : 'patient';
    const step = written
      ? 'not chosen'
      : turn.isQuestion
        ? 'question'
        : noteSentences(turn, who, termsOf).length > 0
          ? `${role} cut`
          : `${role} left out`;
    return { concept, step, speaker: turn.speaker ?? 'unlabelled', turn: turn.text };
  });
}
