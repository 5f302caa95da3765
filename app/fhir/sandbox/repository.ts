import '../node-websocket.ts';
import type { CreateResourceOptions } from '@medplum/fhir-router';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { OperationOutcomeError, type SearchRequest, type WithId } from '@medplum/core';
import { FhirValidationError, validateFhirResource } from '../definitions.ts';

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
    return super.createResource(resource, options, update);
  }

  override async conditionalCreate<T extends Resource>(
    resource: T,
    search: SearchRequest<T>,
    options?: CreateResourceOptions,
  ): Promise<{ resource: WithId<T>; outcome: OperationOutcome }> {
    validateOrThrow(resource);
    return super.conditionalCreate(resource, search, options);
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
  try {
    validateFhirResource(resource);
  } catch (error) {
    if (error instanceof FhirValidationError) throw new OperationOutcomeError(error.outcome);
    throw error;
  }
}
