/**
 * The Location carried by a CDR or Session: mod_cdrs.md / mod_sessions.md say it includes
 * "only the relevant EVSE and Connector". A plain Location may list any number; here it
 * is exactly one of each, typed as one-element tuples so `evses[0].connectors[0]` needs
 * no undefined check.
 */
import { z } from 'zod';
import { connectorSchema, evseSchema, locationSchema } from './location';

const usedEvseSchema = evseSchema.extend({
  connectors: z.tuple([connectorSchema], {
    error: 'must hold exactly one connector: the one used',
  }),
});

export const usedLocationSchema = locationSchema.extend({
  evses: z.tuple([usedEvseSchema], { error: 'must hold exactly one EVSE: the one used' }),
});
export type UsedLocation = z.infer<typeof usedLocationSchema>;
