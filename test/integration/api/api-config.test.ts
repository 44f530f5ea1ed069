/**
 * The API's configuration: OCPI_TOKENS with optional party scopes, backwards compatible
 * with the plain comma list, and the rate limits. Every error names the variable and the
 * rule, and never repeats a token.
 */
import { apiConfig, ConfigError } from '../../../src/config/index';

/** The ConfigError apiConfig throws for `env` (fails the test when it accepts it). */
function refusal(env: Record<string, string>): ConfigError {
  const error: unknown = (() => {
    try {
      return apiConfig(env);
    } catch (thrown) {
      return thrown;
    }
  })();
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError for ${JSON.stringify(Object.keys(env))}`);
  return error;
}

const scopes = (OCPI_TOKENS: string) => apiConfig({ OCPI_TOKENS }).clients.map((c) => [c.token, c.sees]);

describe('OCPI_TOKENS', () => {
  test('a plain comma-separated list still gives tokens that see every party', () => {
    expect(scopes('tokA, tokB,,')).toEqual([
      ['tokA', 'all'],
      ['tokB', 'all'],
    ]);
  });

  test('token=FR*ABC+FR*DEF limits a token to those CPO parties', () => {
    expect(scopes('tokA=FR*ABC+FR*DEF,tokB')).toEqual([
      [
        'tokA',
        [
          { country_code: 'FR', party_id: 'ABC' },
          { country_code: 'FR', party_id: 'DEF' },
        ],
      ],
      ['tokB', 'all'],
    ]);
  });

  test('parties are read case-insensitively and spaces around them are ignored', () => {
    expect(scopes('tokA = fr*ab1 + be*x2y')).toEqual([
      [
        'tokA',
        [
          { country_code: 'FR', party_id: 'AB1' },
          { country_code: 'BE', party_id: 'X2Y' },
        ],
      ],
    ]);
  });

  test('a base64 token ending in = padding stays one plain token', () => {
    expect(scopes('dG9rZW4tMQ==,c2Vjb25k=')).toEqual([
      ['dG9rZW4tMQ==', 'all'],
      ['c2Vjb25k=', 'all'],
    ]);
    expect(scopes('dG9rZW4tMQ===FR*ABC')).toEqual([['dG9rZW4tMQ==', [{ country_code: 'FR', party_id: 'ABC' }]]]);
  });

  test('unset, no client comes from the environment: only the clients registered in Postgres may pull', () => {
    expect(apiConfig({}).clients).toEqual([]);
    expect(apiConfig({ OCPI_TOKENS: '' }).clients).toEqual([]);
  });

  test('clients are labelled by position, so logs and rate-limit keys never hold a token', () => {
    expect(apiConfig({ OCPI_TOKENS: 'a,b=FR*ABC' }).clients.map((c) => c.label)).toEqual(['entry 1', 'entry 2']);
  });

  test.each([
    [' , ,', /OCPI_TOKENS: must list at least one token/],
    ['secret-one=FR-ABC', /OCPI_TOKENS: entry 1: after the last "=" comes a "\+"-separated list of CPO parties like FR\*ABC/],
    ['ok,secret-two=FR*ABCD', /OCPI_TOKENS: entry 2: .*parties/],
    ['secret-three=FR*ABC+', /OCPI_TOKENS: entry 1: .*parties/],
    ['=FR*ABC', /OCPI_TOKENS: entry 1: the token must be/],
    ['secret four', /OCPI_TOKENS: entry 1: the token must be one or more printable ASCII characters without spaces/],
    ['sécret', /OCPI_TOKENS: entry 1: the token must be one or more printable ASCII/],
    ['secret-five,other,secret-five=FR*ABC', /OCPI_TOKENS: entry 1 and entry 3 hold the same token/],
  ])('%j is refused: %s', (value, rule) => {
    const { message } = refusal({ OCPI_TOKENS: value });
    expect(message).toMatch(rule);
    for (const secret of ['secret-one', 'secret-two', 'secret-three', 'secret four', 'sécret', 'secret-five']) {
      expect(message).not.toContain(secret);
    }
  });
});

describe('rate limits', () => {
  const env = { OCPI_TOKENS: 'tok' };

  test('default to 50 requests/s (burst 100) per token and 5/s (burst 20) per address', () => {
    expect(apiConfig(env).rateLimit).toEqual({
      perClient: { perSecond: 50, burst: 100 },
      perAddress: { perSecond: 5, burst: 20 },
    });
  });

  test('accept fractional rates', () => {
    expect(apiConfig({ ...env, OCPI_RATE_LIMIT_PER_SECOND: '0.5' }).rateLimit.perClient.perSecond).toBe(0.5);
  });

  test.each([
    ['OCPI_RATE_LIMIT_PER_SECOND', '0', /OCPI_RATE_LIMIT_PER_SECOND: must be > 0/],
    ['OCPI_RATE_LIMIT_PER_SECOND', 'fast', /OCPI_RATE_LIMIT_PER_SECOND: must be a number/],
    ['OCPI_RATE_LIMIT_PER_SECOND', '-3', /OCPI_RATE_LIMIT_PER_SECOND: must be > 0/],
    ['OCPI_RATE_LIMIT_BURST', '0', /OCPI_RATE_LIMIT_BURST: must be >= 1/],
    ['OCPI_RATE_LIMIT_BURST', '2.5', /OCPI_RATE_LIMIT_BURST: must be an integer/],
    ['OCPI_RATE_LIMIT_PER_IP_PER_SECOND', 'Infinity', /OCPI_RATE_LIMIT_PER_IP_PER_SECOND: must be a number/],
    ['OCPI_RATE_LIMIT_PER_IP_PER_SECOND', '2000000', /OCPI_RATE_LIMIT_PER_IP_PER_SECOND: must be <= 1000000/],
    ['OCPI_RATE_LIMIT_PER_IP_BURST', 'many', /OCPI_RATE_LIMIT_PER_IP_BURST: /],
  ])('%s=%s is refused naming the variable', (variable, value, rule) => {
    expect(refusal({ ...env, [variable]: value }).message).toMatch(rule);
  });
});
