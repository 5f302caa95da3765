import '../node-websocket.ts';
import type { CreateResourceOptions } from '@medplum/fhir-router';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { allOk, badRequest, created, multipleMatches, OperationOutcomeError, type SearchRequest, type WithId } from '@medplum/core';
import { FhirValidationError, SUPPORTED_RESOURCE_TYPES, validateFhirResource } from '../definitions.ts';

type Stores = {
  resources: Map<string, Map<string, Resource>>;
  history: Map<string, Map<string, Resource[]>>;
};

/**
 * Medplum's in-memory repository, made to behave like a real EHR's for Scribe's purposes:
 * - every create/update is validated against FHIR R4 (the plain MemoryRepository stores anything);
 * - a transaction lands whole or not at all (the plain one keeps the entries written before a failure);
 * - history is returned newest first without reordering the stored history.
 * Requests are serialised by the sandbox server, so a snapshot taken at the start of a transaction is
 * consistent.
 */
export class SandboxRepository extends MemoryRepository {
  private transactionDepth = 0;

  private stores(): Stores {
    const self = this as unknown as Stores;
    return { resources: self.resources, history: self.history };
  }

  override async createResource<T extends Resource>(resource: T, options?: CreateResourceOptions, update = false): Promise<WithId<T>> {
    validateOrThrow(resource);
    this.checkReferences(resource);
    return super.createResource(resource, options, update);
  }

  override async conditionalCreate<T extends Resource>(
    resource: T,
    search: SearchRequest<T>,
    options?: CreateResourceOptions,
  ): Promise<{ resource: WithId<T>; outcome: OperationOutcome }> {
    validateOrThrow(resource);
    this.checkReferences(resource);
    if (search.resourceType !== resource.resourceType) {
      throw new OperationOutcomeError(badRequest('Search type must match resource type for conditional create'));
    }
    // Requests are serialised by the sandbox server, so search-then-create cannot interleave with another write.
    const found = (await this.search({ ...search, count: 2, sortRules: undefined })).entry?.map((e) => e.resource!) ?? [];
    if (found.length > 1) throw new OperationOutcomeError(multipleMatches);
    if (found.length === 1) return { resource: found[0]!, outcome: allOk };
    return { resource: await this.createResource(resource, options), outcome: created };
  }

  /** Like a real EHR (and Medplum's server), refuse literal references to resources that do not exist. */
  private checkReferences(resource: Resource): void {
    const { resources } = this.stores();
    const missing: string[] = [];
    const visit = (value: unknown, path: string): void => {
      if (Array.isArray(value)) value.forEach((v) => visit(v, path));
      else if (value && typeof value === 'object') {
        const ref = (value as { reference?: unknown }).reference;
        if (typeof ref === 'string') {
          const match = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/.exec(ref);
          if (match && !(match[1] === resource.resourceType && match[2] === resource.id) && !resources.get(match[1]!)?.has(match[2]!)) {
            missing.push(`${path}: ${ref}`);
          }
        }
        for (const [key, child] of Object.entries(value)) if (key !== 'contained') visit(child, `${path}.${key}`);
      }
    };
    visit(resource, resource.resourceType);
    if (missing.length) {
      throw new OperationOutcomeError({
        resourceType: 'OperationOutcome',
        issue: missing.map((m) => {
          const [where, ref] = m.split(': ');
          return {
            severity: 'error' as const,
            code: 'invalid' as const,
            details: { text: `Reference ${ref} does not exist` },
            expression: [where!.replace(/\.reference$/, '')],
          };
        }),
      });
    }
  }

  /**
   * Conditional creates search by `identifier=system|value` or `_tag=system|value`. Medplum evaluates the
   * shared R4 search expression (for Condition a 30-way FHIRPath union) on every stored resource, which
   * costs ~6 ms a resource; this exact-token fast path gives the same answer directly.
   */
  override async search<T extends Resource>(request: SearchRequest<T>, ...rest: unknown[]): Promise<Bundle<WithId<T>>> {
    const filter = request.filters?.length === 1 ? request.filters[0] : undefined;
    const simple =
      filter &&
      (filter.code === 'identifier' || filter.code === '_tag') &&
      filter.operator === 'eq' &&
      !request.include &&
      !request.revInclude &&
      !request.sortRules?.length &&
      !request.offset;
    const bar = filter?.value.indexOf('|') ?? -1;
    if (!simple || bar <= 0 || bar === filter!.value.length - 1 || filter!.value.includes(',')) {
      return (super.search as (r: SearchRequest<T>, ...x: unknown[]) => Promise<Bundle<WithId<T>>>)(request, ...rest);
    }
    const system = filter!.value.slice(0, bar);
    const value = filter!.value.slice(bar + 1);
    const matches: WithId<T>[] = [];
    for (const resource of this.stores().resources.get(request.resourceType)?.values() ?? []) {
      const r = resource as Resource & {
        identifier?: { system?: string; value?: string }[];
        masterIdentifier?: { system?: string; value?: string };
      };
      const tokens =
        filter!.code === '_tag'
          ? (r.meta?.tag ?? []).map((t) => ({ system: t.system, value: t.code }))
          : [...(r.identifier ?? []), ...(r.masterIdentifier ? [r.masterIdentifier] : [])];
      if (tokens.some((t) => t.system === system && t.value === value)) matches.push(structuredClone(resource) as WithId<T>);
    }
    const page = request.count !== undefined ? matches.slice(0, request.count) : matches;
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: matches.length,
      ...(page.length ? { entry: page.map((resource) => ({ search: { mode: 'match' as const }, resource })) } : {}),
    };
  }

  override async readHistory<T extends Resource>(resourceType: string, id: string): Promise<Bundle<T>> {
    await this.readResource(resourceType, id);
    const versions = [...(this.stores().history.get(resourceType)?.get(id) ?? [])].reverse();
    return {
      resourceType: 'Bundle',
      type: 'history',
      total: versions.length,
      entry: versions.map((resource) => ({ resource: structuredClone(resource) as T })),
    };
  }

  override async withTransaction<TResult>(callback: (repo: this) => Promise<TResult>): Promise<TResult> {
    if (this.transactionDepth > 0) return callback(this);
    const { resources, history } = this.stores();
    const snapshot = {
      resources: new Map([...resources].map(([type, byId]) => [type, new Map(byId)])),
      history: new Map([...history].map(([type, byId]) => [type, new Map([...byId].map(([id, list]) => [id, [...list]]))])),
    };
    this.transactionDepth++;
    try {
      return await callback(this);
    } catch (error) {
      resources.clear();
      for (const [type, byId] of snapshot.resources) resources.set(type, byId);
      history.clear();
      for (const [type, byId] of snapshot.history) history.set(type, byId);
      throw error;
    } finally {
      this.transactionDepth--;
    }
  }
}

function validateOrThrow(resource: Resource): void {
  if (!SUPPORTED_RESOURCE_TYPES.includes(resource?.resourceType)) {
    throw new OperationOutcomeError(
      badRequest(
        `The sandbox EHR does not store ${String(resource?.resourceType)} resources; it stores ${SUPPORTED_RESOURCE_TYPES.join(', ')}`,
        'resourceType',
      ),
    );
  }
  try {
    validateFhirResource(resource);
  } catch (error) {
    if (error instanceof FhirValidationError) throw new OperationOutcomeError(error.outcome);
    throw error;
  }
}
