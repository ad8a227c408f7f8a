// IP address anonymisation. IPv4: the last 8 bits are zeroed (a /24 remains).
// IPv6: the last 80 bits are zeroed (a /48, a site prefix, remains), as Google Analytics does.
import { isIPv4, isIPv6 } from 'node:net';

export function anonymiseIp(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return anonymiseIp(mapped[1] as string);
  if (isIPv4(ip)) return ip.replace(/\.\d+$/, '.0');
  if (isIPv6(ip)) {
    const groups = expandIPv6(ip)
      .slice(0, 3)
      .map((g) => g.replace(/^0+(?=.)/, ''));
    return `${groups.join(':')}::`;
  }
  return '';
}

function expandIPv6(ip: string): string[] {
  const [head = '', tail = ''] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = ip.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const missing = 8 - left.length - right.length;
  return [...left, ...Array<string>(Math.max(missing, 0)).fill('0'), ...right];
}
