/**
 * OCPI 2.2.1 CDR (mod_cdrs.asciidoc, CDR object). Structural rules, plus the rules that
 * tie a credit CDR together (mod_cdrs, Credit CDRs): `credit` and `credit_reference_id`
 * come together, only a credit may use the id's 37th to 39th characters, and only its
 * total_cost is negative. Business rules (totals, eMI3 ids, price) belong to src/cdr.
 */
import { z } from 'zod';
import { cdrRemark } from '../v211/cdr';
import {
  asciiString,
  authorizationId,
  ciString,
  countryCodeAlpha2,
  currencyCode,
  nonNegativeDecimal,
  ocpiDateTime,
  ocpiId,
  partyId,
} from '../primitives';
import { signedDataSchema } from '../v211/signed-data';
import { cdrLocationSchema } from './cdr-location';
import { cdrTokenSchema } from './cdr-token';
import { chargingPeriod221Schema } from './charging-period';
import { nonNegativePriceSchema, priceSchema, type Price } from './price';
import { tariff221Schema } from './tariff';

/** mod_cdrs AuthMethod: 2.2.1 added COMMAND (StartSession / ReserveNow). */
export const authMethod221Schema = z.enum(['AUTH_REQUEST', 'COMMAND', 'WHITELIST']);
export type AuthMethod221 = z.infer<typeof authMethod221Schema>;

/** Normal CDRs: 36 characters; CiString(39) leaves room to append to it for a credit CDR. */
export const CDR_ID_MAX = 36;
export const CREDIT_CDR_ID_MAX = 39;

const cdr221ObjectSchema = z.strictObject({
  /** The CPO that owns the CDR. */
  country_code: countryCodeAlpha2,
  party_id: partyId,
  id: ciString(CREDIT_CDR_ID_MAX).min(1, { error: 'must not be empty' }),
  start_date_time: ocpiDateTime,
  end_date_time: ocpiDateTime,
  session_id: ocpiId(36).optional(),
  cdr_token: cdrTokenSchema,
  auth_method: authMethod221Schema,
  /** 2.2's name for GIREVE's 2.1.1 `authorization_id`: the eMSP's authorization, echoed unchanged. */
  authorization_reference: authorizationId.min(1, { error: 'must not be empty: omitted when there was no authorization' }).optional(),
  cdr_location: cdrLocationSchema,
  meter_id: asciiString(255).optional(),
  currency: currencyCode,
  tariffs: z.array(tariff221Schema).optional(),
  charging_periods: z.array(chargingPeriod221Schema).min(1, { error: 'must hold at least one charging period' }),
  signed_data: signedDataSchema.optional(),
  total_cost: priceSchema,
  /** Sub-totals stay positive in a credit CDR: the spec negates "only the values in the total_cost field". */
  total_fixed_cost: nonNegativePriceSchema.optional(),
  total_energy: nonNegativeDecimal,
  total_energy_cost: nonNegativePriceSchema.optional(),
  total_time: nonNegativeDecimal,
  total_time_cost: nonNegativePriceSchema.optional(),
  total_parking_time: nonNegativeDecimal.optional(),
  total_parking_cost: nonNegativePriceSchema.optional(),
  total_reservation_cost: nonNegativePriceSchema.optional(),
  remark: cdrRemark.optional(),
  invoice_reference_id: ocpiId(39).optional(),
  credit: z.boolean().optional(),
  credit_reference_id: ocpiId(39).optional(),
  home_charging_compensation: z.boolean().optional(),
  last_updated: ocpiDateTime,
});

export const cdr221Schema = cdr221ObjectSchema.superRefine((cdr, ctx) => {
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (cdr.credit === true) {
    if (cdr.credit_reference_id === undefined) {
      issue(['credit_reference_id'], 'is required in a credit CDR: the id of the CDR it credits');
    } else if (cdr.credit_reference_id === cdr.id) {
      issue(['credit_reference_id'], "must not be the credit CDR's own id: it names the CDR being credited");
    }
    for (const [key, amount] of amountsOf(cdr.total_cost)) {
      if (amount > 0) issue(['total_cost', key], 'must be <= 0 in a credit CDR: the negated total_cost of the CDR it credits');
    }
    return;
  }
  if (cdr.credit_reference_id !== undefined) {
    issue(['credit'], 'must be true when credit_reference_id is set: only a credit CDR references another CDR');
  }
  if (cdr.id.length > CDR_ID_MAX) {
    issue(['id'], `must be at most ${CDR_ID_MAX} characters: only a credit CDR may use up to ${CREDIT_CDR_ID_MAX}`);
  }
  for (const [key, amount] of amountsOf(cdr.total_cost)) {
    if (amount < 0) issue(['total_cost', key], 'must be >= 0: only a credit CDR carries a negative total_cost');
  }
});
export type Cdr221 = z.infer<typeof cdr221Schema>;

function amountsOf(price: Price): Array<['excl_vat' | 'incl_vat', number]> {
  return price.incl_vat === undefined
    ? [['excl_vat', price.excl_vat]]
    : [
        ['excl_vat', price.excl_vat],
        ['incl_vat', price.incl_vat],
      ];
}
