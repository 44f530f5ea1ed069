/**
 * The rate-limit key of a caller without a valid token: its IP address as the TCP peer
 * (behind a reverse proxy, the proxy's: authenticated pulls are limited per token, so only
 * unauthenticated callers share that bucket). An IPv6 caller usually owns a whole /64, so
 * it is keyed by that prefix; otherwise it could take a fresh bucket per request.
 */

const IPV4_MAPPED_RE = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

function ipv6Prefix64(address: string): string {
  const [head = '', tail] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  // An embedded IPv4 tail (64:ff9b::192.0.2.1) fills two groups.
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g]));
  const zeros = Array<string>(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0');
  const groups = tail === undefined ? headGroups : [...headGroups, ...zeros, ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => (Number.parseInt(group, 16) || 0).toString(16))
    .join(':')}::/64`;
}

export function clientAddressKey(remoteAddress: string | undefined): string {
  if (remoteAddress === undefined) return 'unknown';
  const address = remoteAddress.split('%')[0] ?? remoteAddress; // drop an IPv6 zone id
  const mapped = IPV4_MAPPED_RE.exec(address);
  if (mapped?.[1]) return mapped[1];
  return address.includes(':') ? ipv6Prefix64(address) : address;
}
