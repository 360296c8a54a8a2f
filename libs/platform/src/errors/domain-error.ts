/** Why a use case refused. Each transport maps every code (HTTP status, Kafka retry/dead-letter). */
export enum ErrorCode {
  NotFound = 'NOT_FOUND',
  Invalid = 'INVALID',
  Conflict = 'CONFLICT',
  PolicyViolation = 'POLICY_VIOLATION',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  Gone = 'GONE',
  /** An Idempotency-Key sent again with a different request. */
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
}

export class DomainError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError(ErrorCode.NotFound, `${what} not found`);
