/**
 * Errors in plain words. The core's gate rejects bad input with a developer's sentence
 * ("Invalid input for draft.updateSection: text: Too big: expected string to have <=100000 characters");
 * a clinician sees what was wrong with what they gave, never a call name or a schema message.
 */

const FIELD_WORDS: Record<string, string> = {
  text: 'the text',
  query: 'the search',
  timeZone: 'the time zone',
  from: 'the start date',
  to: 'the end date',
  baseUrl: 'the EHR address',
  sections: 'the note',
  name: 'the name',
  code: 'the code',
};

function fieldWords(path: string): string {
  const parts = path.split('.').filter((p) => p && !/^\d+$/.test(p) && p !== '(input)');
  const last = parts.at(-1);
  if (!last) return 'what was entered';
  return FIELD_WORDS[last] ?? last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

const n = (digits: string) => Number(digits).toLocaleString('en-US');

function issueWords(path: string, message: string): string {
  const field = fieldWords(path);
  let m = /Too big: expected string to have <=\s*(\d+) characters/i.exec(message);
  if (m) return `${field} is too long (at most ${n(m[1]!)} characters)`;
  m = /Too small: expected string to have >=\s*(\d+) characters/i.exec(message);
  if (m) return m[1] === '1' ? `${field} is empty` : `${field} is too short (at least ${n(m[1]!)} characters)`;
  m = /Too big: expected (?:number|array) to have <=\s*(\d+)|Too big: expected number to be <=\s*(\d+)/i.exec(message);
  if (m) return `${field} is too large (at most ${n((m[1] ?? m[2])!)})`;
  m = /Too small: expected number to be >=\s*(\d+)/i.exec(message);
  if (m) return `${field} is too small (at least ${n(m[1]!)})`;
  if (/^Invalid (input|option|type)|expected/i.test(message)) return `${field} is not valid`;
  // Refinements carry their own words ("an IANA time zone such as Europe/Berlin").
  return `${field} must be ${message.replace(/^must be /, '')}`;
}

/** The plain-words version of an error message from the core (others are returned unchanged). */
export function plainMessage(message: string): string {
  const invalid = /^Invalid input for [\w.]+: (.*)$/s.exec(message);
  if (invalid) {
    const issues = invalid[1]!.split('; ').map((one) => {
      const colon = one.indexOf(': ');
      return colon < 0 ? issueWords('', one) : issueWords(one.slice(0, colon), one.slice(colon + 2));
    });
    const text = [...new Set(issues)].join('; ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  }
  const tooLarge = /^Payload over (\d+) bytes$/.exec(message);
  if (tooLarge) return `This is too large to send (over ${n(tooLarge[1]!)} bytes).`;
  const produced = /^[\w.]+ produced an invalid answer/.exec(message);
  if (produced) return 'Scribe hit an internal problem answering this; nothing was changed. Please try again.';
  return message;
}
