import { z } from 'zod';
import { sessionEndedSchema } from '../cdr/session/session-ended';

/** The JSON Schema of SessionEnded, generated from the zod schema (published in docs/). */
export function sessionEndedJsonSchema(): unknown {
  return {
    title: 'SessionEnded',
    description:
      'What a CPO backend hands to cdrflow when a charging session ends (OCPI 2.1.1 Session + GIREVE extras; cdr_token and vat_percentage for OCPI 2.2.1 CDRs).',
    ...z.toJSONSchema(sessionEndedSchema, { io: 'input', unrepresentable: 'any' }),
  };
}
