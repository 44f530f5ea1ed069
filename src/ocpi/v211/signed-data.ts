/**
 * OCPI 2.2 SignedData / SignedValue (German Eichrecht), which GIREVE accepts as an extra
 * `signed_data` property of 2.1.1 CDRs. Sizes follow 2.2.1 (plain_data and signed_data up
 * to 5000 characters; 2.2 said 512, which real meter payloads exceed).
 */
import { z } from 'zod';
import { ciString, ocpiInteger, ocpiString } from '../primitives';

// An empty value carries nothing a meter could have signed, or anything to verify it with.
const notEmpty = { error: 'must not be empty: signed data must be well formed' };

/** nature: "Start", "End", "Intermediate" at the time of writing; more may come, so not an enum. */
export const signedValueSchema = z.strictObject({
  nature: ciString(32).min(1, notEmpty),
  plain_data: ocpiString(5000).min(1, notEmpty),
  signed_data: ocpiString(5000).min(1, notEmpty),
});
export type SignedValue = z.infer<typeof signedValueSchema>;

/** url is a plain string(512) in 2.2.1 (not the URL type): a link shown to the driver. */
export const signedDataSchema = z.strictObject({
  encoding_method: ciString(36).min(1, notEmpty),
  encoding_method_version: ocpiInteger.optional(),
  public_key: ocpiString(512).min(1, notEmpty).optional(),
  signed_values: z.array(signedValueSchema).min(1, { error: 'must hold at least one signed value' }),
  url: ocpiString(512).optional(),
});
export type SignedData = z.infer<typeof signedDataSchema>;
