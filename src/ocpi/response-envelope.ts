/**
 * The OCPI response envelope (transport_and_format.md "Response format") and the 2.1.1
 * status codes (status_codes.md). Branch on `status_code`, never on `status_message`.
 */
import { z } from 'zod';
import { ocpiDateTime, ocpiInteger, toOcpiDateTime } from './primitives';

export const ocpiStatusCodes = {
  SUCCESS: 1000,
  CLIENT_ERROR: 2000,
  INVALID_OR_MISSING_PARAMETERS: 2001,
  NOT_ENOUGH_INFORMATION: 2002,
  UNKNOWN_LOCATION: 2003,
  SERVER_ERROR: 3000,
  UNABLE_TO_USE_CLIENT_API: 3001,
  UNSUPPORTED_VERSION: 3002,
  NO_MATCHING_ENDPOINTS: 3003,
} as const;
export type OcpiStatusCode = (typeof ocpiStatusCodes)[keyof typeof ocpiStatusCodes];

/** The envelope we write, with `data` checked by `dataSchema` (an object, list or string). */
export function ocpiResponseSchema<T extends z.ZodType>(dataSchema: T) {
  return z.object({
    data: dataSchema.optional(),
    status_code: ocpiInteger,
    status_message: z.string().optional(),
    timestamp: ocpiDateTime,
  });
}
export type OcpiResponse<T> = z.infer<ReturnType<typeof ocpiResponseSchema<z.ZodType<T>>>>;

/**
 * What we accept from the IOP. Only `status_code` is required: a delivered CDR must not
 * be retried because the hub's timestamp lacks the `Z` (GIREVE's own examples do) or is
 * missing, so `timestamp` is kept as an unchecked string for logs.
 */
export const ocpiResponseEnvelopeSchema = z.object({
  data: z.unknown().optional(),
  status_code: z.int({ error: 'must be an integer OCPI status code' }),
  status_message: z.string().optional(),
  timestamp: z.string().optional(),
});
export type OcpiResponseEnvelope = z.infer<typeof ocpiResponseEnvelopeSchema>;

/** Builds the envelope for one of our answers; absent data / message are left out of the JSON. */
export function ocpiEnvelope<T>(data: T | undefined, statusCode: number, statusMessage?: string, now: Date = new Date()): OcpiResponse<T> {
  return {
    ...(data === undefined ? {} : { data }),
    status_code: statusCode,
    ...(statusMessage === undefined ? {} : { status_message: statusMessage }),
    timestamp: toOcpiDateTime(now),
  };
}
