/**
 * Who may pull CDRs, and which CDRs each one sees: the value of OCPI_TOKENS.
 *
 * One cdrflow may serve several CPO parties (country_code, party_id) and several hubs. Each
 * comma-separated entry is one client's token, optionally followed by `=` and the CPO
 * parties it sees, joined by `+`:
 *
 *   OCPI_TOKENS=tokenA                       tokenA sees every party's CDRs (the plain list of before)
 *   OCPI_TOKENS=tokenA=FR*ABC+FR*DEF,tokenB=FR*XYZ
 *                                            tokenA sees FR*ABC's and FR*DEF's CDRs, tokenB FR*XYZ's
 *
 * Parties are written as eMI3 operator ids, the way GIREVE names a CPO operation. The scope
 * starts after the last `=` that is followed by something, so a base64 token whose padding
 * ends it (`dG9rZW4=`) is still one plain token.
 *
 * Errors name the entry by position, never by content: the value is a secret.
 */
import type { Party, PullScope } from '../ocpi/party';
import { ConfigError } from './env';

export interface PullClient {
  /** `entry 2` (of OCPI_TOKENS): names the client in messages and rate-limit keys without its token. */
  label: string;
  token: string;
  sees: PullScope;
}

export class PullClientsError extends Error {
  override readonly name = 'PullClientsError';
}

// What OCPI's `Authorization: Token <token>` can carry: printable ASCII without space.
const TOKEN_RE = /^[\x21-\x7E]+$/;
// eMI3 operator id: ISO 3166-1 alpha-2 country, `*`, 3-character party id.
const PARTY_RE = /^([A-Z]{2})\*([A-Z0-9]{3})$/;

/** `FR*ABC+FR*DEF`: the CPO parties of a scope; a PullClientsError (prefixed with `label`) names the rule. */
export function readScope(scope: string, label: string): Party[] {
  const parties = scope.split('+').map((part) => part.trim().toUpperCase());
  return parties.map((party) => {
    const match = PARTY_RE.exec(party);
    if (!match) {
      throw new PullClientsError(`${label}: after the last "=" comes a "+"-separated list of CPO parties like FR*ABC+FR*DEF`);
    }
    return { country_code: match[1] ?? '', party_id: match[2] ?? '' };
  });
}

function readEntry(entry: string, label: string): PullClient {
  const equals = entry.lastIndexOf('=');
  const scoped = equals >= 0 && equals < entry.length - 1;
  const token = (scoped ? entry.slice(0, equals) : entry).trim();
  if (!TOKEN_RE.test(token))
    throw new PullClientsError(`${label}: the token must be one or more printable ASCII characters without spaces`);
  const sees = scoped ? readScope(entry.slice(equals + 1), label) : 'all';
  return { label, token, sees };
}

/** The clients of an OCPI_TOKENS value; throws a PullClientsError naming the faulty entry. */
export function readPullClients(value: string): PullClient[] {
  const clients: PullClient[] = [];
  value.split(',').forEach((raw, index) => {
    const entry = raw.trim();
    if (entry.length === 0) return;
    const client = readEntry(entry, `entry ${index + 1}`);
    const twin = clients.find((known) => known.token === client.token);
    if (twin) throw new PullClientsError(`${twin.label} and ${client.label} hold the same token`);
    clients.push(client);
  });
  if (clients.length === 0) throw new PullClientsError('must list at least one token');
  return clients;
}

/** Tokens with their optional party scopes (the syntax above); errors name the variable. */
export function readTokenList(variable: string, value: string): PullClient[] {
  try {
    return readPullClients(value);
  } catch (error) {
    if (!(error instanceof PullClientsError)) throw error;
    throw new ConfigError(`invalid configuration:\n  ${variable}: ${error.message}`);
  }
}
