/**
 * OCPI authentication: `Authorization: Token <token>`. OCPI 2.1.1 sends the token as is;
 * 2.2.1 sends it Base64-encoded (transport_and_format.asciidoc, "Authorization header"),
 * and notes that many implementations still send it as is, so 2.2.1 routes accept both
 * (the Base64 reading first). 2.1.1 routes keep accepting the token as is only.
 *
 * Tokens are compared through their SHA-256 digests with timingSafeEqual, so neither the
 * content nor the length of a configured token leaks through response time, and every
 * configured token is compared on every request.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { PullScope } from '../../ocpi/party';

/** Who a token belongs to, as the routes see it: never the token itself. */
export interface TokenClient {
  /** Names the client in messages and rate-limit keys (`entry 2`, `pull-client gireve`). */
  label: string;
  sees: PullScope;
  /** `registration`: a hub's registration token (OCPI token A), good only on the version endpoints. */
  role: 'pull' | 'registration';
}

/** A token the API accepts, by its SHA-256 digest (from OCPI_TOKENS, or registered in Postgres). */
export interface AcceptedToken {
  client: TokenClient;
  digest: Buffer;
}

/** How a route reads the token: as is (2.1.1), or Base64 and, failing that, as is (2.2.1). */
export type TokenEncoding = 'plain' | 'base64-or-plain';

// The scheme is case-insensitive (RFC 9110 11.1); the token is printable non-space ASCII (OCPI).
const TOKEN_HEADER_RE = /^token +([\x21-\x7E]+) *$/i;
const TOKEN_RE = /^[\x21-\x7E]+$/;
// Canonical RFC 4648 Base64, padding included, as 2.2.1 prescribes.
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// `echo token | base64` encodes a final line break, and so does the example of 2.2.1's own
// text (`ZXhhbXBsZS10b2tlbgo=` is "example-token\n"). A token holds no whitespace, so
// dropping it cannot make two tokens equal.
const FINAL_LINE_BREAK_RE = /\r?\n$/;

/** The SHA-256 digest a token is compared (and stored) by. */
export const tokenDigest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** The token a Base64 value encodes, or undefined when it encodes no possible token. */
function decodeBase64Token(value: string): string | undefined {
  if (!BASE64_RE.test(value)) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8').replace(FINAL_LINE_BREAK_RE, '');
  return TOKEN_RE.test(decoded) ? decoded : undefined;
}

/**
 * The client whose token the header carries, or undefined. Should one accepted token be the
 * Base64 form of another, a 2.2.1 route takes the decoded reading.
 */
export function findTokenClient(
  accepted: readonly AcceptedToken[],
  authorization: string | undefined,
  encoding: TokenEncoding = 'plain',
): TokenClient | undefined {
  const presented = authorization === undefined ? undefined : TOKEN_HEADER_RE.exec(authorization)?.[1];
  if (presented === undefined) return undefined;
  const decoded = encoding === 'base64-or-plain' ? decodeBase64Token(presented) : undefined;
  const presentedDigest = tokenDigest(presented);
  const decodedDigest = decoded === undefined ? undefined : tokenDigest(decoded);
  let matchedAsIs: TokenClient | undefined;
  let matchedDecoded: TokenClient | undefined;
  // No early exit: the time taken must not tell which entry matched, or whether one did.
  for (const candidate of accepted) {
    if (timingSafeEqual(candidate.digest, presentedDigest)) matchedAsIs = candidate.client;
    if (decodedDigest && timingSafeEqual(candidate.digest, decodedDigest)) matchedDecoded = candidate.client;
  }
  return matchedDecoded ?? matchedAsIs;
}
