/**
 * The event a CPO backend hands in when a charging session ends: the completed OCPI 2.1.1
 * Session plus what the CDR needs beyond it, and optionally what an OCPI 2.2.1 CDR needs
 * beyond that (the token, the VAT rate). Validated at the edge (client, CLI, intake);
 * its JSON Schema is published in docs/ for backends in other languages.
 */
import { z } from 'zod';
import { authorizationId, countryCodeAlpha2, nonNegativeDecimal, ocpiDateTime, partyId } from '../../ocpi/primitives';
import { sessionSchema, type Session } from '../../ocpi/v211/session';
import { signedDataSchema } from '../../ocpi/v211/signed-data';
import { tariffSchema } from '../../ocpi/v211/tariff';
import { sessionTokenSchema } from '../../ocpi/v221/cdr-token';
import { givenAuthorizationId } from './authorization-id';
import { evseIdBelongsTo, isEmi3EvseId } from './evse-id';
import { operatorId, type Party } from '../../ocpi/party';
import type { InputProblem } from '../input-problem';
import { periodTimeProblems } from './session-period-rules';

export const partySchema = z.strictObject({
  country_code: countryCodeAlpha2,
  party_id: partyId,
});

/** When the EVSE could not supply energy: excluded from total_time and free of charge (GIREVE 3.3). */
export const outOfOrderIntervalSchema = z
  .strictObject({ start: ocpiDateTime, end: ocpiDateTime })
  .refine((interval) => Date.parse(interval.start) <= Date.parse(interval.end), {
    message: 'start must not be after end',
    path: ['end'],
  });

/** The token as the eMSP issued it (OCPI 2.2.1 CdrToken, contract_id optional). */
export { sessionTokenSchema };

export const sessionEndedSchema = z
  .strictObject({
    party: partySchema,
    session: sessionSchema.superRefine((session, ctx) => {
      if (session.end_datetime === undefined) {
        ctx.addIssue({ code: 'custom', path: ['end_datetime'], message: 'is required: the session must have ended' });
      } else if (Date.parse(session.end_datetime) <= Date.parse(session.start_datetime)) {
        ctx.addIssue({ code: 'custom', path: ['end_datetime'], message: 'must be after start_datetime' });
      }
      if (session.status !== 'COMPLETED') {
        ctx.addIssue({ code: 'custom', path: ['status'], message: 'must be COMPLETED for a CDR' });
      }
    }),
    /** GIREVE's authorization id, echoed unchanged in the CDR; absent when there was no authorization. */
    authorization_id: authorizationId.optional(),
    tariffs: z.array(tariffSchema).default([]),
    out_of_order: z.array(outOfOrderIntervalSchema).optional(),
    signed_data: signedDataSchema.optional(),
    /**
     * The session was started remotely, by the eMSP's START_SESSION command (GIREVE requires
     * remote start). The 2.2.1 CDR says auth_method COMMAND; 2.1.1 has no such value, so the
     * 2.1.1 CDR keeps `session.auth_method` (AUTH_REQUEST for a start the eMSP asked for).
     */
    started_by_command: z.boolean().optional(),
    /** OCPI 2.2.1 only (a 2.1.1 CDR has no token object): required to build the 2.2.1 CDR. */
    cdr_token: sessionTokenSchema.optional(),
    /**
     * OCPI 2.2.1 only: the VAT rate, in percent, that turns the costs into `incl_vat` and goes
     * into each tariff price component; 0 where no VAT applies. Required for a 2.2.1 CDR: a
     * price component without `vat` reads as "no VAT applicable" (mod_tariffs), so it is never guessed.
     */
    vat_percentage: nonNegativeDecimal.max(100, { error: 'must be a percentage from 0 to 100' }).optional(),
  })
  .superRefine((input, ctx) => {
    for (const problem of crossFieldProblems(input)) ctx.addIssue({ code: 'custom', ...problem });
  });

/** Rules between the parts of a SessionEnded, checked at the edge so the CPO hears of them at once. */
function crossFieldProblems(input: {
  party: Party;
  session: Session;
  authorization_id?: string | undefined;
  tariffs: readonly unknown[];
}): InputProblem[] {
  const problems: InputProblem[] = [];
  const { session, party } = input;
  if (input.tariffs.length === 0 && session.total_cost === undefined) {
    problems.push({ path: ['session', 'total_cost'], message: 'is required when no tariff is given (nothing to price the session with)' });
  }
  const evseId = session.location.evses[0].evse_id;
  const evsePath = ['session', 'location', 'evses', 0, 'evse_id'];
  if (evseId === undefined) {
    problems.push({ path: evsePath, message: `is required by GIREVE: the eMI3 EVSE id, like ${operatorId(party)}*E0001` });
  } else if (!isEmi3EvseId(evseId) || !evseIdBelongsTo(evseId, party)) {
    problems.push({
      path: evsePath,
      message: `must be an eMI3 EVSE id starting with the CPO's operator id ${operatorId(party)}*E (GIREVE)`,
    });
  }
  const given = givenAuthorizationId(input.authorization_id);
  const sessionAuthorization = givenAuthorizationId(session.authorization_id);
  if (given !== undefined && sessionAuthorization !== undefined && given !== sessionAuthorization) {
    problems.push({
      path: ['authorization_id'],
      message: 'must equal session.authorization_id: GIREVE echoes one authorization unchanged',
    });
  }
  problems.push(...periodTimeProblems(session));
  return problems;
}

export type SessionEnded = z.infer<typeof sessionEndedSchema>;
export type SessionEndedInput = z.input<typeof sessionEndedSchema>;
