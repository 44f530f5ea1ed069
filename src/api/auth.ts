/**
 * OCPI 2.1.1 authentication: `Authorization: Token <token>`, the token sent as is (2.2
 * base64-encodes it; 2.1.1 does not). Tokens are compared through their SHA-256 digests
 * with timingSafeEqual, so neither the content nor the length of a configured token leaks
 * through response time, and every configured token is compared on every request.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

// The scheme is case-insensitive (RFC 9110 11.1); the token is printable non-space ASCII (OCPI).
const TOKEN_HEADER_RE = /^token +([\x21-\x7E]+) *$/i;

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Builds the check once per server: the configured digests are computed a single time. */
export function createTokenCheck(tokens: readonly string[]): (authorization: string | undefined) => boolean {
  const accepted = tokens.map(digest);
  return (authorization) => {
    const presented = authorization === undefined ? undefined : TOKEN_HEADER_RE.exec(authorization)?.[1];
    if (presented === undefined) return false;
    const presentedDigest = digest(presented);
    let matched = false;
    for (const candidate of accepted) matched = timingSafeEqual(candidate, presentedDigest) || matched;
    return matched;
  };
}
