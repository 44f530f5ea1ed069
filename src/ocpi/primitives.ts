/**
 * OCPI 2.1.1 basic types (types.md) as zod schemas. Every object schema in src/ocpi is
 * built from these, so a rule (e.g. "at most 4 decimals") lives in one place.
 *
 * These schemas describe what we SEND: they are stricter than the spec where the spec
 * is loose (parsing gives every DateTime its trailing `Z`, see ocpiDateTime). The same schemas read the
 * CPO backend's input, so every object schema is strict (z.strictObject): a key we don't
 * know is refused, never dropped (a dropped restriction would make its element always apply).
 */
import { z } from 'zod';
import { isActiveIso4217Code } from './iso4217';

// ---------------------------------------------------------------------------------------
// DateTime

/**
 * `YYYY-MM-DDTHH:MM:SS[.f{1,4}][Z]`. types.md makes DateTime a string(25), which leaves
 * room for at most 4 fraction digits, and says "the absence of the timezone designator
 * implies a UTC timestamp"; an offset (even `+00:00`) is not UTC there and never valid.
 */
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,4})?Z?$/;

/**
 * Rejects what the regex lets through but the calendar does not (Feb 30, 24:00, :60):
 * such values either fail to parse or roll over, so they no longer print the same.
 */
function isRealUtcDateTime(value: string): boolean {
  const wholeSeconds = value.slice(0, 19);
  const date = new Date(`${wholeSeconds}Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 19) === wholeSeconds;
}

/**
 * Parses to the `Z` form, the only one we write: `Date.parse` would read a DateTime without
 * designator in the machine's time zone, so the implied UTC is made explicit at once.
 */
export const ocpiDateTime = z
  .string()
  .regex(DATE_TIME_RE, {
    error: 'must be an OCPI DateTime in UTC like 2015-06-29T20:39:09Z (no offset, at most 4 fraction digits)',
    abort: true,
  })
  .refine(isRealUtcDateTime, { error: 'must be a real calendar date and time (e.g. no February 30, no 24:00)' })
  .transform((value) => (value.endsWith('Z') ? value : `${value}Z`));

/**
 * Formats a Date as an OCPI DateTime. Whole seconds are written without fraction
 * (`2015-06-29T20:39:09Z`, the form used throughout the spec and by GIREVE); otherwise
 * milliseconds are kept (`2015-06-29T20:39:09.120Z`) so `new Date(result)` gives the
 * same instant back. Throws RangeError for an invalid Date or a year outside 0000-9999.
 */
export function toOcpiDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('toOcpiDateTime: invalid Date');
  const iso = date.toISOString(); // always UTC, `YYYY-MM-DDTHH:MM:SS.sssZ` for years 0000-9999
  if (iso.length !== 24) throw new RangeError(`toOcpiDateTime: year out of range in ${iso}`);
  return date.getUTCMilliseconds() === 0 ? `${iso.slice(0, 19)}Z` : iso;
}

/** string(5) `HH:MM`, 24h with leading zeros, 00:00-23:59 (RegularHours, TariffRestrictions). */
export const timeOfDay = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { error: 'must be a time of day HH:MM from 00:00 to 23:59' });

/** string(10) `YYYY-MM-DD`, a real calendar day (TariffRestrictions start_date / end_date). */
export const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD like 2015-12-24', abort: true })
  .refine((value) => isRealUtcDateTime(`${value}T00:00:00Z`), { error: 'must be a real calendar date' });

// ---------------------------------------------------------------------------------------
// Strings

const PRINTABLE_ASCII_RE = /^[\x20-\x7E]*$/;
// C0 controls, DEL and C1 controls: line breaks, tabs, NUL... never belong in an OCPI value.
const NO_CONTROL_CHARACTERS_RE = /^[^\x00-\x1F\x7F-\x9F]*$/;

const maxLength = (max: number) => ({ error: `must be at most ${max} characters` });

/**
 * string(max) of printable ASCII only, as types.md says of every 2.1.1 string. Enforced
 * where a value identifies something that GIREVE and eMSPs match on or store: ids,
 * auth_id, authorization_id, meter_id (and every CiString).
 */
export function asciiString(max: number) {
  return z
    .string()
    .regex(PRINTABLE_ASCII_RE, { error: 'must contain only printable ASCII characters (0x20-0x7E)' })
    .max(max, maxLength(max));
}

/** CiString(max): printable ASCII only (types.md 1.1); compared case-insensitively elsewhere. */
export function ciString(max: number) {
  return asciiString(max);
}

/**
 * string(max) for text shown to people. 2.1.1's types.md says "only printable ASCII", but
 * GIREVE exchanges UTF-8 JSON and French addresses and display texts need accents (OCPI
 * 2.2 made string UTF-8), so only control characters are refused (2.2.1: no line breaks,
 * tabs...). The length counts UTF-16 units, which never under-counts characters.
 */
export function ocpiString(max: number) {
  return z
    .string()
    .max(max, maxLength(max))
    .regex(NO_CONTROL_CHARACTERS_RE, { error: 'must not contain control characters (OCPI strings are printable)' });
}

/**
 * An identifier: printable ASCII string(max) that is not empty. An empty id identifies
 * nothing, and the receiver could not tell it from a missing one.
 */
export function ocpiId(max: number) {
  return asciiString(max).min(1, { error: 'must not be empty' });
}

/** GIREVE's `authorization_id` (Session, CDR): length unpublished; 36 printable ASCII like 2.2's authorization_reference. */
export const authorizationId = ciString(36);

// ---------------------------------------------------------------------------------------
// Numbers

/** Decimal places of the shortest round-trip form of `n` ("1e-7" counts 7). */
function decimalPlaces(n: number): number {
  const [mantissa = '', exponent = '0'] = String(Math.abs(n)).split('e');
  const fraction = mantissa.split('.')[1] ?? '';
  return Math.max(0, fraction.length - Number(exponent));
}

/**
 * The largest magnitude we compute with exactly: its 1e-4 units (see src/cdr/decimal.ts)
 * must stay a safe integer (2^53 / 1e4 is about 9.007e11). Far beyond any real kWh,
 * price or hour count, and refused with the field's name rather than failing mid-build.
 */
export const MAX_EXACT_DECIMAL = 900_000_000_000;
const tooLarge = { error: `must be at most ${MAX_EXACT_DECIMAL} (exact 4-decimal arithmetic)` };

/**
 * number (types.md 1.4): at most 4 decimals. Also catches binary float drift such as
 * 0.30000000000000004, which means the caller summed money with floats.
 */
export const ocpiDecimal = z
  .number()
  .max(MAX_EXACT_DECIMAL, tooLarge)
  .min(-MAX_EXACT_DECIMAL, { error: `must be at least -${MAX_EXACT_DECIMAL} (exact 4-decimal arithmetic)` })
  .refine((n) => decimalPlaces(n) <= 4, { error: 'must have at most 4 decimals' });

/** int: a JSON integer within the safe integer range. */
export const ocpiInteger = z.int({ error: 'must be an integer' });

/** Quantities, prices and durations: OCPI 2.1.1 has no negative ones (no credit CDRs). */
export const nonNegativeDecimal = ocpiDecimal.min(0, { error: 'must be >= 0' });
export const nonNegativeInteger = ocpiInteger.min(0, { error: 'must be >= 0' });

// ---------------------------------------------------------------------------------------
// Codes

/** ISO 4217, checked against the active list so "XYZ" fails as well as "EURO". */
export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 currency code: three uppercase letters like EUR', abort: true })
  .refine(isActiveIso4217Code, { error: 'must be an active ISO 4217 currency code' });

/** Party country_code (credentials, eMI3 ids): ISO 3166-1 alpha-2 like FR. */
export const countryCodeAlpha2 = z.string().regex(/^[A-Z]{2}$/, { error: 'must be an ISO 3166-1 alpha-2 country code like FR' });

/** Location.country: ISO 3166-1 alpha-3 like FRA (2.1.1, unlike the party code). */
export const countryCodeAlpha3 = z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 3166-1 alpha-3 country code like FRA' });

/** party_id: CiString(3); we write the eMI3 form, three uppercase letters or digits. */
export const partyId = z.string().regex(/^[A-Z0-9]{3}$/, { error: 'must be a party id of 3 uppercase letters or digits like AB1' });

// ---------------------------------------------------------------------------------------
// URL

// Scheme, non-empty authority, then anything printable without spaces. The WHATWG URL
// parser alone accepts "http:/x" and "a b", hence the regex first.
const HTTP_URL_RE = /^https?:\/\/[^\s/?#]+(?:[/?#][\x21-\x7E]*)?$/;

function parsesAsUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** URL (types.md 1.6): string(255); we only ever link http(s) resources. */
export const ocpiUrl = z
  .string()
  .max(255, maxLength(255))
  .regex(HTTP_URL_RE, { error: 'must be an absolute http(s) URL like https://example.com/path', abort: true })
  .refine(parsesAsUrl, { error: 'must be a valid URL' });

// ---------------------------------------------------------------------------------------
// DisplayText

/** DisplayText (types.md 1.3): language is an ISO 639-1 code, text has no markup. */
export const displayTextSchema = z.strictObject({
  language: ocpiString(2).regex(/^[a-zA-Z]{2}$/, { error: 'must be an ISO 639-1 language code like en' }),
  text: ocpiString(512),
});
export type DisplayText = z.infer<typeof displayTextSchema>;
