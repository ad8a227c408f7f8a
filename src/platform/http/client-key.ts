// The key a client is counted under by the per-address rate limit. An IPv4 client as itself, also when a dual-stack
// socket reports it as ::ffff:a.b.c.d (so processes bound to :: and to 0.0.0.0 count it alike); an IPv6 client by
// its /64, the block one household or server is given, so that rotating through its own 2^64 addresses does not
// multiply its allowance.
import { isIPv4, isIPv6 } from 'node:net';

export function clientKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped) return mapped;
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  const [head = '', tail] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...left, ...Array<string>(Math.max(8 - left.length - right.length, 0)).fill('0'), ...right];
  // A trailing embedded IPv4 (::1.2.3.4 forms) lies in the last 32 bits, outside the /64.
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
