import { isIP } from "node:net";

/**
 * Whether `host` is an IP address of a private network (RFC 1918 IPv4, IPv6 unique-local
 * fc00::/7 or link-local fe80::/10): one only hosts of the same site reach, unlike 0.0.0.0
 * (every interface) or a public address. Names are not resolved: an app binds an address.
 */
export function isPrivateAddress(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  const family = isIP(bare);
  if (family === 4) {
    const [a, b] = bare.split(".").map(Number) as [number, number];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  if (family === 6) {
    const first = Number.parseInt(bare.split(":")[0] || "0", 16);
    return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
  }
  return false;
}
