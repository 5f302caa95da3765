import { describe, expect, it } from 'vitest';
import type { CapabilityStatement } from '@medplum/fhirtypes';
import { narrowPlanToScopes, planForMode, sandboxCapabilityStatement, scopeGrantsCreate, writePlanFromCapabilities } from './write-plan.ts';

const cs = (rest: unknown, extra: Record<string, unknown> = {}) =>
  ({
    resourceType: 'CapabilityStatement',
    status: 'active',
    kind: 'instance',
    fhirVersion: '4.0.1',
    date: '2026-01-01',
    format: ['json'],
    rest,
    ...extra,
  }) as CapabilityStatement;

describe('write plan from a CapabilityStatement', () => {
  it('full only with transactions and conditional create of every type written', () => {
    expect(writePlanFromCapabilities(sandboxCapabilityStatement('full', 'x')).mode).toBe('full');
    const noConditional = sandboxCapabilityStatement('full', 'x');
    delete noConditional.rest![0]!.resource!.find((r) => r.type === 'Provenance')!.conditionalCreate;
    expect(writePlanFromCapabilities(noConditional)).toMatchObject({
      mode: 'direct',
      creates: { condition: true, provenance: true },
      authenticator: false,
    });
  });

  it('direct when the note and some of the rest are creatable; minimal when only the note is', () => {
    const direct = writePlanFromCapabilities(
      cs(
        [
          {
            mode: 'server',
            resource: [
              { type: 'DocumentReference', interaction: [{ code: 'create' }], documentation: 'Accepts text/html or text/plain notes' },
              { type: 'Condition', interaction: [{ code: 'create' }] },
            ],
          },
        ],
        { software: { name: 'Example EHR' } },
      ),
    );
    expect(direct).toMatchObject({
      mode: 'direct',
      ehrName: 'Example EHR',
      contentType: 'text/html',
      creates: { condition: true, provenance: false },
    });
    expect(direct.notSent.join('\n')).toMatch(/plain-text copy[\s\S]*authenticator[\s\S]*Provenance record/);
    expect(direct.withheld).toEqual(['plain-copy', 'authenticator', 'provenance']);
    const minimal = writePlanFromCapabilities(sandboxCapabilityStatement('minimal', 'x'));
    expect(minimal).toMatchObject({ mode: 'minimal', contentType: 'text/plain', declaresUsCore: true });
    expect(minimal.withheld).toEqual(['formatted-copy', 'authenticator', 'conditions', 'provenance']);
  });

  it('a statement that lists nothing, or hostile shapes, gives the minimal plan and never throws', () => {
    expect(writePlanFromCapabilities(cs([{ mode: 'server', interaction: [{ code: 'search-system' }] }])).mode).toBe('minimal');
    for (const rest of [
      null,
      'x',
      [null, 5, { resource: 'nope', interaction: {} }],
      [{ resource: [null, { type: 'DocumentReference', interaction: 'create' }] }],
    ]) {
      expect(writePlanFromCapabilities(cs(rest)).mode).toBe('minimal');
    }
    expect(writePlanFromCapabilities(cs([], { software: { name: 42 }, instantiates: 'nope' })).ehrName).toBeNull();
  });

  it('narrows to what the sign-in granted: no Condition.write, no Provenance.write', () => {
    expect(scopeGrantsCreate('user/Condition.write', 'Condition')).toBe(true);
    expect(scopeGrantsCreate('user/Condition.cruds', 'Condition')).toBe(true);
    expect(scopeGrantsCreate('user/Condition.rs user/*.read', 'Condition')).toBe(false);
    expect(scopeGrantsCreate('user/*.*', 'Device')).toBe(true);
    const full = planForMode('full');
    expect(narrowPlanToScopes(full, undefined)).toBe(full);
    const narrowed = narrowPlanToScopes(full, 'openid fhirUser user/DocumentReference.write user/Condition.write user/*.read');
    expect(narrowed).toMatchObject({ mode: 'full', creates: { condition: true, provenance: false }, withheld: ['provenance'] });
    expect(narrowed.summary).toBe('Signed notes go to the EHR as one transaction: the note and the diagnoses.');
    expect(narrowed.notSent[0]).toMatch(/not granted Provenance\/Device write/);
  });
});
