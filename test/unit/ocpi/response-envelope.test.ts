import { z } from 'zod';
import { cdrSchema, ocpiEnvelope, ocpiResponseEnvelopeSchema, ocpiResponseSchema, ocpiStatusCodes } from '../../../src/ocpi';
import { issuePaths, loadMaximalCdr } from './helpers';

const NOW = new Date(Date.UTC(2024, 2, 12, 9, 31, 0));

describe('ocpiStatusCodes', () => {
  it('holds the 2.1.1 codes', () => {
    expect(ocpiStatusCodes).toEqual({
      SUCCESS: 1000,
      CLIENT_ERROR: 2000,
      INVALID_OR_MISSING_PARAMETERS: 2001,
      NOT_ENOUGH_INFORMATION: 2002,
      UNKNOWN_LOCATION: 2003,
      SERVER_ERROR: 3000,
      UNABLE_TO_USE_CLIENT_API: 3001,
      UNSUPPORTED_VERSION: 3002,
      NO_MATCHING_ENDPOINTS: 3003,
    });
  });
});

describe('ocpiEnvelope', () => {
  it('wraps data with status and a UTC timestamp', () => {
    expect(ocpiEnvelope([1, 2], ocpiStatusCodes.SUCCESS, 'Success', NOW)).toEqual({
      data: [1, 2],
      status_code: 1000,
      status_message: 'Success',
      timestamp: '2024-03-12T09:31:00Z',
    });
  });

  it('leaves out absent data and message rather than writing null', () => {
    const envelope = ocpiEnvelope(undefined, ocpiStatusCodes.INVALID_OR_MISSING_PARAMETERS, undefined, NOW);
    expect(JSON.stringify(envelope)).toBe('{"status_code":2001,"timestamp":"2024-03-12T09:31:00Z"}');
  });

  it('builds what ocpiResponseSchema accepts', () => {
    const schema = ocpiResponseSchema(z.array(cdrSchema));
    const envelope = ocpiEnvelope([loadMaximalCdr()], ocpiStatusCodes.SUCCESS, undefined, NOW);
    expect(issuePaths(schema, JSON.parse(JSON.stringify(envelope)))).toEqual([]);
  });
});

describe('ocpiResponseSchema', () => {
  const schema = ocpiResponseSchema(z.object({ version: z.string() }));

  it('checks data with the given schema', () => {
    const envelope = { data: { version: 2 }, status_code: 1000, timestamp: '2024-03-12T09:31:00Z' };
    expect(issuePaths(schema, envelope)).toEqual(['data.version']);
  });

  it('rejects a timestamp with an offset', () => {
    expect(issuePaths(schema, { status_code: 1000, timestamp: '2024-03-12T09:31:00+01:00' })).toEqual(['timestamp']);
  });

  it('rejects a status_code given as a string', () => {
    expect(issuePaths(schema, { status_code: '1000', timestamp: '2024-03-12T09:31:00Z' })).toEqual(['status_code']);
  });
});

describe('ocpiResponseEnvelopeSchema (answers from the IOP)', () => {
  it("accepts GIREVE's documented POST CDR answer", () => {
    const answer = { data: {}, status_code: 1000, status_message: 'Success', timestamp: '2020-01-17T09:39:42Z' };
    expect(ocpiResponseEnvelopeSchema.parse(answer)).toEqual(answer);
  });

  it('accepts a timestamp without Z or no timestamp at all, so a delivered CDR is not resent', () => {
    expect(issuePaths(ocpiResponseEnvelopeSchema, { status_code: 1000, timestamp: '2020-01-17T09:39:42' })).toEqual([]);
    expect(issuePaths(ocpiResponseEnvelopeSchema, { status_code: 1000 })).toEqual([]);
  });

  it('rejects an answer without an integer status_code', () => {
    expect(issuePaths(ocpiResponseEnvelopeSchema, { data: {} })).toEqual(['status_code']);
    expect(issuePaths(ocpiResponseEnvelopeSchema, { status_code: 'OK' })).toEqual(['status_code']);
  });
});
