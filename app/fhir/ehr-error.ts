import type { OperationOutcome } from '@medplum/fhirtypes';

/**
 * Why a request to the EHR did not succeed, in words a clinician or IT admin can act on.
 * `retryable` says whether the outbox should try again later (network down, timeouts, 5xx, 429) or
 * stop and show the error (the EHR rejected the content: 4xx with an OperationOutcome).
 */
export type EhrErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'unauthorized'
  | 'rejected'
  | 'conflict'
  | 'server'
  | 'invalid-response'
  | 'invalid-resource';

export class EhrError extends Error {
  constructor(
    public readonly kind: EhrErrorKind,
    message: string,
    public readonly details: { status?: number; outcome?: OperationOutcome; cause?: unknown } = {},
  ) {
    super(message);
    this.name = 'EhrError';
  }

  get retryable(): boolean {
    return (
      this.kind === 'unreachable' ||
      this.kind === 'timeout' ||
      this.kind === 'server' ||
      this.kind === 'invalid-response' ||
      (this.kind === 'rejected' && this.details.status === 429)
    );
  }

  get status(): number | undefined {
    return this.details.status;
  }
}

/** "Patient.birthDate: Invalid date format; DocumentReference.status: Missing required property" */
export function outcomeInPlainWords(outcome: OperationOutcome | undefined): string {
  const issues = (outcome?.issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal');
  const lines = (issues.length ? issues : (outcome?.issue ?? [])).map((issue) => {
    const text = issue.details?.text ?? issue.diagnostics ?? issue.code ?? 'unknown problem';
    const where = issue.expression?.length ? `${issue.expression.join(', ')}: ` : '';
    return where + text;
  });
  return lines.join('; ');
}

export function isOperationOutcome(value: unknown): value is OperationOutcome {
  return typeof value === 'object' && value !== null && (value as { resourceType?: unknown }).resourceType === 'OperationOutcome';
}
