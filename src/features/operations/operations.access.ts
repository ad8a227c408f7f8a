// Who may read /metrics: a request bearing METRICS_TOKEN (compared in constant time), or one from an address in
// METRICS_ALLOW (addresses and CIDR ranges; loopback by default). The address is request.ip, so behind a proxy
// it is the client's only as far as TRUST_PROXY says; anyone else gets the site's ordinary 404. Without TRUST_PROXY
// a request that carries forwarding headers came through a proxy (often one on the same host, so from 127.0.0.1):
// its address says nothing about the client, so only the token opens /metrics to it.
import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { Config } from '../../platform/config.ts';

export type MetricsAccess = (request: {
  ip: string;
  headers: { authorization?: string | undefined } & Record<string, string | string[] | undefined>;
}) => boolean;

const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip', 'x-forwarded-host'];

export function metricsAccess(
  config: Pick<Config, 'metricsToken' | 'metricsAllow'> & Partial<Pick<Config, 'trustProxy'>>,
): MetricsAccess {
  const trustsProxy = config.trustProxy !== undefined && config.trustProxy !== false;
  const allowed = new BlockList();
  for (const entry of config.metricsAllow) {
    const [address = '', prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) allowed.addAddress(address, type);
    else allowed.addSubnet(address, Number(prefix), type);
  }
  // Digests of equal length, so the comparison takes the same time whatever the length of what was sent.
  const expected = config.metricsToken ? digest(config.metricsToken) : undefined;
  return (request) => {
    const header = request.headers.authorization;
    if (expected && header?.startsWith('Bearer ') && timingSafeEqual(digest(header.slice(7).trim()), expected))
      return true;
    if (!trustsProxy && FORWARDING_HEADERS.some((name) => request.headers[name] !== undefined)) return false;
    return fromAllowedAddress(allowed, request.ip);
  };
}

function fromAllowedAddress(allowed: BlockList, ip: string): boolean {
  // A dual-stack socket reports an IPv4 client as ::ffff:a.b.c.d: checked as the IPv4 address it is.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const address = mapped ?? ip;
  const family = isIP(address);
  if (family === 0) return false;
  return allowed.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
