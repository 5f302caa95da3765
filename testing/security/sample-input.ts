import type { z } from 'zod';

/**
 * A small, valid value for a zod schema, so that security tests can make every call of the contract
 * with input that passes validation (the role gate and the handler are then what answer). `known`
 * supplies real values by field name (e.g. a visit id that exists). Throws when no valid value is found,
 * so a new call whose input the sampler cannot satisfy is noticed, not silently skipped.
 */
type Def = { type: string; [key: string]: unknown };

const STRING_CANDIDATES = [
  'sample',
  'a',
  'AAAA',
  '482193',
  'Subjective',
  '0'.repeat(64),
  '2026-01-01',
  '2026-01-01T09:00:00.000Z',
  'a@example.org',
  'http://127.0.0.1/x',
  'x'.repeat(20),
];

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

export function sampleValue(schema: z.ZodType, known: Record<string, unknown> = {}, field = ''): unknown {
  if (field && Object.hasOwn(known, field) && schema.safeParse(known[field]).success) return known[field];
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(shape)) {
        const childDef = defOf(child);
        if (childDef.type === 'optional' && !Object.hasOwn(known, key)) continue;
        out[key] = sampleValue(child, known, key);
      }
      return out;
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return sampleValue(def.innerType as z.ZodType, known, field);
    case 'pipe':
      return sampleValue(def.in as z.ZodType, known, field);
    case 'lazy':
      return sampleValue((def.getter as () => z.ZodType)(), known, field);
    case 'string': {
      const hit = STRING_CANDIDATES.find((c) => schema.safeParse(c).success);
      if (hit === undefined) throw new Error(`no sample string satisfies field "${field}"`);
      return hit;
    }
    case 'number':
    case 'int': {
      const hit = [0, 1, 5, 100, 0.5].find((n) => schema.safeParse(n).success);
      if (hit === undefined) throw new Error(`no sample number satisfies field "${field}"`);
      return hit;
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'enum':
      return Object.values(def.entries as Record<string, unknown>)[0];
    case 'literal':
      return (def.values as unknown[])[0];
    case 'array': {
      const element = sampleValue(def.element as z.ZodType, known, field);
      const one = [element];
      return schema.safeParse([]).success ? (schema.safeParse(one).success ? one : []) : one;
    }
    case 'union':
      for (const option of def.options as z.ZodType[]) {
        try {
          const value = sampleValue(option, known, field);
          if (schema.safeParse(value).success) return value;
        } catch {
          // try the next option
        }
      }
      throw new Error(`no option of the union at "${field}" could be sampled`);
    case 'record':
      return {};
    default:
      throw new Error(`cannot sample a ${def.type} at "${field}"`);
  }
}
