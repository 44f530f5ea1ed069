/**
 * OCPI 2.1.1 authentication: `Authorization: Token <token>`, the token sent as is (2.2
 * base64-encodes it; 2.1.1 does not). Tokens are compared through their SHA-256 digests
 * with timingSafeEqual, so neither the content nor the length of a configured token leaks
 * through response time, and every configured token is compared on every request.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { PullClient } from './pull-clients';

// The scheme is case-insensitive (RFC 9110 11.1); the token is printable non-space ASCII (OCPI).
const TOKEN_HEADER_RE = /^token +([\x21-\x7E]+) *$/i;

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Builds the check once per server (the configured digests are computed a single time).
 * The check returns the client whose token the header carries, or undefined.
 */
export function createTokenCheck(
  clients: readonly PullClient[],
): (authorization: string | undefined) => PullClient | undefined {
  const accepted = clients.map((client) => ({ client, digest: digest(client.token) }));
  return (authorization) => {
    const presented = authorization === undefined ? undefined : TOKEN_HEADER_RE.exec(authorization)?.[1];
    if (presented === undefined) return undefined;
    const presentedDigest = digest(presented);
    let matched: PullClient | undefined;
    // No early exit: the time taken must not tell which entry matched, or whether one did.
    for (const candidate of accepted) {
      if (timingSafeEqual(candidate.digest, presentedDigest)) matched = candidate.client;
    }
    return matched;
  };
}
