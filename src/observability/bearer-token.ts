/**
 * The optional bearer token of /metrics (METRICS_TOKEN). Compared through SHA-256 digests
 * with timingSafeEqual, so response time tells nothing about the token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER_RE = /^bearer +([\x21-\x7E]+) *$/i;

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Without a token every caller passes: /metrics is then as open as /health. */
export function createBearerCheck(token: string | null): (authorization: string | undefined) => boolean {
  if (token === null) return () => true;
  const expected = digest(token);
  return (authorization) => {
    const presented = authorization === undefined ? undefined : BEARER_RE.exec(authorization)?.[1];
    return presented !== undefined && timingSafeEqual(digest(presented), expected);
  };
}
