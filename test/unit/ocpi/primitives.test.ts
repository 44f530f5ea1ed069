import {
  ciString,
  countryCodeAlpha2,
  countryCodeAlpha3,
  currencyCode,
  displayTextSchema,
  localDate,
  ocpiDateTime,
  ocpiDecimal,
  ocpiId,
  ocpiInteger,
  ocpiString,
  ocpiUrl,
  partyId,
  timeOfDay,
  toOcpiDateTime,
} from '../../../src/ocpi';
import { issueMessages } from './helpers';

describe('ocpiDateTime', () => {
  it.each(['2015-06-29T20:39:09Z', '2015-06-29T20:39:09.1Z', '2015-06-29T20:39:09.1234Z', '2016-02-29T00:00:00Z'])(
    'accepts the UTC form %s',
    (value) => expect(ocpiDateTime.safeParse(value).success).toBe(true),
  );

  it('rejects a DateTime with an offset, naming the rule', () => {
    expect(issueMessages(ocpiDateTime, '2015-06-29T20:39:09+00:00')).toEqual([
      expect.stringContaining('must be an OCPI DateTime in UTC like 2015-06-29T20:39:09Z'),
    ]);
  });

  it.each([
    ['2015-06-29T20:39:09', '2015-06-29T20:39:09Z'],
    ['2016-12-29T17:45:09.2', '2016-12-29T17:45:09.2Z'],
  ])('reads %s, without designator, as UTC (types.md) and gives the Z form we write', (value, written) => {
    expect(ocpiDateTime.parse(value)).toBe(written);
  });

  it.each([
    ['a date without time', '2015-06-29'],
    ['more than 4 fraction digits (over string(25))', '2015-06-29T20:39:09.12345Z'],
    ['a lower-case z', '2015-06-29T20:39:09z'],
  ])('rejects %s', (_rule, value) => expect(ocpiDateTime.safeParse(value).success).toBe(false));

  it.each(['2015-02-30T10:00:00Z', '2015-06-29T24:00:00Z', '2015-06-29T23:59:60Z', '2015-13-01T00:00:00Z'])(
    'rejects the impossible date %s',
    (value) => expect(issueMessages(ocpiDateTime, value)).toEqual([expect.stringContaining('real calendar date')]),
  );
});

describe('toOcpiDateTime', () => {
  it('writes whole seconds without a fraction', () => {
    expect(toOcpiDateTime(new Date(Date.UTC(2015, 5, 29, 20, 39, 9)))).toBe('2015-06-29T20:39:09Z');
  });

  it('keeps milliseconds when there are some', () => {
    expect(toOcpiDateTime(new Date(Date.UTC(2015, 5, 29, 20, 39, 9, 120)))).toBe('2015-06-29T20:39:09.120Z');
  });

  it.each([0, 1, 999, 1_718_000_000_000, 1_718_000_000_123])('round-trips %d ms through ocpiDateTime', (ms) => {
    const text = toOcpiDateTime(new Date(ms));
    expect(ocpiDateTime.parse(text)).toBe(text);
    expect(new Date(text).getTime()).toBe(ms);
  });

  it('throws on an invalid Date', () => {
    expect(() => toOcpiDateTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('strings', () => {
  it('rejects a non-ASCII CiString', () => {
    expect(issueMessages(ciString(36), 'Séance-1')).toEqual([expect.stringContaining('printable ASCII')]);
  });

  it('rejects a control character in a CiString', () => {
    expect(ciString(36).safeParse('a\tb').success).toBe(false);
  });

  it('rejects a CiString longer than its maximum', () => {
    expect(issueMessages(ciString(3), 'ABCD')).toEqual(['must be at most 3 characters']);
  });

  it('accepts accents in a plain string (GIREVE exchanges UTF-8)', () => {
    expect(ocpiString(45).safeParse('Place de la Mairie, Évry').success).toBe(true);
  });

  it.each([
    ['a line feed', 'Niveau\n-2'],
    ['a tab', 'Niveau\t-2'],
    ['a NUL', 'Niveau\u0000-2'],
    ['a DEL', 'Niveau\u007f-2'],
    ['a C1 control (NEL)', 'Niveau\u0085-2'],
  ])('rejects %s in a plain string (OCPI strings are printable)', (_what, value) => {
    expect(issueMessages(ocpiString(45), value)).toEqual(['must not contain control characters (OCPI strings are printable)']);
  });

  it('keeps ids to printable ASCII and never empty', () => {
    expect(ocpiId(36).safeParse('LOC-0001').success).toBe(true);
    expect(issueMessages(ocpiId(36), 'LOC-é')).toEqual(['must contain only printable ASCII characters (0x20-0x7E)']);
    expect(issueMessages(ocpiId(36), '')).toEqual(['must not be empty']);
  });

  it('rejects a string longer than its maximum', () => {
    expect(ocpiString(5).safeParse('123456').success).toBe(false);
  });

  it('requires an ISO 639-1 language in a DisplayText', () => {
    expect(displayTextSchema.safeParse({ language: 'fr', text: 'Niveau -2' }).success).toBe(true);
    expect(displayTextSchema.safeParse({ language: 'fra', text: 'Niveau -2' }).success).toBe(false);
  });
});

describe('numbers', () => {
  it.each([0, 1, 0.3, 1.2345, -7.5, 900_000_000_000])('accepts %d (at most 4 decimals)', (n) =>
    expect(ocpiDecimal.safeParse(n).success).toBe(true),
  );

  it.each([
    ['5 decimals', 0.12345],
    ['float drift from 0.1 + 0.2', 0.1 + 0.2],
    ['an exponent-form fraction', 1e-7],
    ['a numeric string', '1.5'],
    ['infinity', Number.POSITIVE_INFINITY],
  ])('rejects %s', (_rule, value) => expect(ocpiDecimal.safeParse(value).success).toBe(false));

  it.each([1e21, -1e12])('refuses %d, too large for exact 4-decimal arithmetic, with a rule instead of a crash', (n) => {
    expect(issueMessages(ocpiDecimal, n)).toEqual([expect.stringContaining('900000000000 (exact 4-decimal arithmetic)')]);
  });

  it('names the 4-decimal rule', () => {
    expect(issueMessages(ocpiDecimal, 2.12345)).toEqual(['must have at most 4 decimals']);
  });

  it('rejects a non-integer int', () => {
    expect(issueMessages(ocpiInteger, 230.5)).toEqual(['must be an integer']);
  });
});

describe('codes', () => {
  it('accepts an active ISO 4217 currency', () => {
    expect(currencyCode.safeParse('EUR').success).toBe(true);
    expect(currencyCode.safeParse('CHF').success).toBe(true);
  });

  it.each([
    ['four letters', 'EURO', 'three uppercase letters'],
    ['lower case', 'eur', 'three uppercase letters'],
    ['a code that ISO 4217 does not list', 'XYZ', 'active ISO 4217'],
    ['the testing code', 'XTS', 'active ISO 4217'],
    ['a withdrawn currency', 'FRF', 'active ISO 4217'],
  ])('rejects %s as currency', (_rule, value, message) =>
    expect(issueMessages(currencyCode, value)).toEqual([expect.stringContaining(message)]),
  );

  it('takes alpha-3 for a location country and alpha-2 for a party country', () => {
    expect(countryCodeAlpha3.safeParse('FRA').success).toBe(true);
    expect(countryCodeAlpha3.safeParse('FR').success).toBe(false);
    expect(countryCodeAlpha2.safeParse('FR').success).toBe(true);
    expect(countryCodeAlpha2.safeParse('FRA').success).toBe(false);
  });

  it('takes a party id of 3 uppercase letters or digits', () => {
    expect(partyId.safeParse('AB1').success).toBe(true);
    expect(partyId.safeParse('AB').success).toBe(false);
    expect(partyId.safeParse('ab1').success).toBe(false);
  });

  it('takes HH:MM from 00:00 to 23:59', () => {
    expect(timeOfDay.safeParse('00:00').success).toBe(true);
    expect(timeOfDay.safeParse('23:59').success).toBe(true);
    expect(timeOfDay.safeParse('24:00').success).toBe(false);
    expect(timeOfDay.safeParse('9:00').success).toBe(false);
  });

  it('takes a real YYYY-MM-DD date', () => {
    expect(localDate.safeParse('2015-12-24').success).toBe(true);
    expect(localDate.safeParse('2015-02-29').success).toBe(false);
    expect(localDate.safeParse('24/12/2015').success).toBe(false);
  });
});

describe('ocpiUrl', () => {
  it.each(['https://example.com', 'http://127.0.0.1:8080/ocpi/cpo/2.1.1/cdrs?offset=0'])('accepts %s', (url) =>
    expect(ocpiUrl.safeParse(url).success).toBe(true),
  );

  it.each(['ftp://example.com/file', 'http:/example.com', 'https://exa mple.com', 'example.com', `https://e.com/${'a'.repeat(250)}`])(
    'rejects %s',
    (url) => expect(ocpiUrl.safeParse(url).success).toBe(false),
  );
});
