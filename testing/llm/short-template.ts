import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A two-section clinic template for language-model tests: the tiny random model fills every string to its
 * maximum, so a short template keeps each generation to a few seconds on a loaded CPU.
 */
export const SHORT_TEMPLATE = 'short-visit';

export function writeShortTemplate(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${SHORT_TEMPLATE}.json`),
    JSON.stringify({
      name: SHORT_TEMPLATE,
      title: 'Short visit',
      sections: [
        { id: 'hpi', title: 'History of present illness', fill: ['chief_complaint', 'hpi'] },
        { id: 'assessment_plan', title: 'Assessment and plan', fill: ['assessment_plan'] },
      ],
    }),
  );
  return dir;
}
