/**
 * The token bucket behind the rate limit, on a fake clock, and the address key that
 * unauthenticated callers are limited by.
 */
import { clientAddressKey } from '../../../src/api/transport/client-address';
import { createRateLimiter } from '../../../src/api/transport/rate-limiter';

function clock() {
  let ms = 1_000_000;
  return { now: () => ms, advance: (by: number) => (ms += by) };
}

test('a full bucket allows burst requests at once, then refuses', () => {
  const take = createRateLimiter({ perSecond: 1, burst: 3 }, { now: clock().now });
  expect([take('a'), take('a'), take('a')].every((d) => d.allowed)).toBe(true);
  expect(take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
});

test('a bucket regains perSecond requests each second, never more than burst', () => {
  const time = clock();
  const take = createRateLimiter({ perSecond: 2, burst: 2 }, { now: time.now });
  take('a');
  take('a');
  expect(take('a').allowed).toBe(false);
  time.advance(500);
  expect(take('a').allowed).toBe(true);
  expect(take('a').allowed).toBe(false);
  time.advance(60_000);
  expect([take('a'), take('a'), take('a')].map((d) => d.allowed)).toEqual([true, true, false]);
});

test('a refused request costs nothing: waiting Retry-After is enough', () => {
  const time = clock();
  const take = createRateLimiter({ perSecond: 0.25, burst: 1 }, { now: time.now });
  take('a');
  for (let i = 0; i < 10; i++) expect(take('a')).toEqual({ allowed: false, retryAfterSeconds: 4 });
  time.advance(4_000);
  expect(take('a').allowed).toBe(true);
});

test('Retry-After rounds the wait up to whole seconds and is never 0', () => {
  const time = clock();
  const take = createRateLimiter({ perSecond: 0.4, burst: 1 }, { now: time.now });
  take('a');
  expect(take('a')).toEqual({ allowed: false, retryAfterSeconds: 3 });
  time.advance(2_400);
  expect(take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
});

test('keys have separate buckets', () => {
  const take = createRateLimiter({ perSecond: 1, burst: 1 }, { now: clock().now });
  expect(take('a').allowed).toBe(true);
  expect(take('b').allowed).toBe(true);
  expect(take('a').allowed).toBe(false);
});

test('beyond maxKeys the least recently used bucket is forgotten, as if full', () => {
  const take = createRateLimiter({ perSecond: 1, burst: 1 }, { now: clock().now, maxKeys: 2 });
  take('a');
  take('b');
  take('b');
  take('c'); // forgets a, the least recently used
  expect(take('a').allowed).toBe(true);
  expect(take('c').allowed).toBe(false);
});

describe('the address key of a caller without a token', () => {
  test.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
  ])('%s is limited as %s', (address, key) => {
    expect(clientAddressKey(address)).toBe(key);
  });

  test('an IPv6 caller cannot escape its bucket by changing the last 64 bits', () => {
    expect(clientAddressKey('2001:db8:a:b:1::1')).toBe(clientAddressKey('2001:db8:a:b:ffff:ffff:ffff:ffff'));
  });

  test('a socket without an address still gets a key', () => {
    expect(clientAddressKey(undefined)).toBe('unknown');
  });
});
