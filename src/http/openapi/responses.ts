import type { z } from 'zod';
import { errorSchema } from '../views/wire';
import type { JsonResponse } from './define-route';

/** A response without a body (204): the handler replies `{ status }`. */
export const noBody = (description: string) => ({ description });

/** Bytes of the given type (a file): the handler writes them itself and returns SENT. */
export const rawBody = (description: string, contentType: string) => ({ description, contentType });

/** A JSON response with a description that says more than its status's usual one. */
export const json = <S extends z.ZodType>(schema: S, description: string): JsonResponse<S> => ({ description, schema });

/** An error response (`{ error, details? }`) with what this status means on this route. */
export const error = (description: string) => json(errorSchema, description);
