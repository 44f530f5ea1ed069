/**
 * Token buckets, one per key (a pull client, or the address of an unauthenticated caller):
 * a key may spend `burst` requests at once and regains `perSecond` of them each second.
 * A hub walking pages at a steady pace is never refused; a runaway loop or a token-guessing
 * caller is slowed to the configured rate instead of taking the database with it.
 */

export interface RateLimit {
  /** Requests regained per second (may be fractional: 0.5 is one every two seconds). */
  perSecond: number;
  /** Requests a full bucket allows at once. */
  burst: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiterOptions {
  /**
   * Buckets kept at most; the least recently used is forgotten first (as if it were full),
   * so a caller cycling through many addresses cannot grow memory without bound.
   */
  maxKeys?: number;
  /** Milliseconds clock, for tests. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(limit: RateLimit, options: RateLimiterOptions = {}): (key: string) => RateDecision {
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  const buckets = new Map<string, Bucket>();

  return (key) => {
    const at = now();
    const known = buckets.get(key);
    const elapsedSeconds = known ? Math.max(0, at - known.at) / 1000 : 0;
    const tokens = known ? Math.min(limit.burst, known.tokens + elapsedSeconds * limit.perSecond) : limit.burst;
    // Re-inserting moves the key to the end of the Map's order: the first key is the least recently used.
    buckets.delete(key);
    if (buckets.size >= maxKeys) {
      const oldest = buckets.keys().next();
      if (!oldest.done) buckets.delete(oldest.value);
    }
    if (tokens >= 1) {
      buckets.set(key, { tokens: tokens - 1, at });
      return { allowed: true };
    }
    buckets.set(key, { tokens, at });
    // Whole seconds, as Retry-After is written; never 0, which would invite an immediate retry.
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / limit.perSecond)) };
  };
}
