/**
 * What domain code throws when a request cannot be carried out. Each kind names the reason, not a status
 * code: only the HTTP layer (src/http/middleware/error-handler.ts) knows that `not_found` answers 404.
 */
export type DomainErrorKind =
  | 'malformed' // the input does not have the required shape
  | 'invalid' // well-formed input that breaks a rule (a reference to something that does not exist, a limit)
  | 'not_found' // nothing the caller may see has this id
  | 'conflict' // the current state forbids it (a duplicate, something already merged, a blocked customer)
  | 'too_large' // over a size limit
  | 'unauthenticated' // wrong credentials
  | 'forbidden' // known caller, not allowed
  | 'rate_limited' // too many attempts: try again later
  | 'upstream'; // a platform the request needed could not be asked (unreachable, timed out, failing)

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** Field-level detail for invalid input: `[{ path, message }]`. */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const malformed = (message: string, details?: unknown) => new DomainError('malformed', message, details);
export const invalid = (message: string, details?: unknown) => new DomainError('invalid', message, details);
export const notFound = (message: string) => new DomainError('not_found', message);
export const conflict = (message: string) => new DomainError('conflict', message);
export const tooLarge = (message: string) => new DomainError('too_large', message);
export const unauthenticated = (message: string) => new DomainError('unauthenticated', message);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const rateLimited = (message: string) => new DomainError('rate_limited', message);
export const upstream = (message: string) => new DomainError('upstream', message);
