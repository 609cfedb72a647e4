import { describe, expect, test } from "bun:test";
import {
  formatIpv6,
  isLoopback,
  isWildcard,
  listeningSockets,
  parseListeners,
  pidListeningOn,
  processInfo,
} from "../src/system/proc.ts";

describe("/proc readers", () => {
  test("parse IPv4 and IPv6 LISTEN rows of /proc/net/tcp", () => {
    const v4 = [
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 0100007F:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 111 1 0 100 0 0 10 0",
      "   1: 00000000:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 222 1 0 100 0 0 10 0",
      "   2: 0100007F:1388 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 333 1 0 100 0 0 10 0",
    ].join("\n");
    expect(parseListeners(v4, false)).toEqual([
      { address: "127.0.0.1", port: 5000, inode: 111 },
      { address: "0.0.0.0", port: 8000, inode: 222 },
    ]);
    const v6 = [
      "  sl  local_address                         remote_address                        st" +
        " tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 00000000000000000000000001000000:1388 00000000000000000000000000000000:0000 0A" +
        " 00000000:00000000 00:00000000 00000000  1000        0 444 1 0",
      "   1: 00000000000000000000000000000000:1F40 00000000000000000000000000000000:0000 0A" +
        " 00000000:00000000 00:00000000 00000000  1000        0 555 1 0",
    ].join("\n");
    expect(parseListeners(v6, true)).toEqual([
      { address: "::1", port: 5000, inode: 444 },
      { address: "::", port: 8000, inode: 555 },
    ]);
  });

  test("formats IPv6 addresses the usual way", () => {
    expect(formatIpv6([0xfe, 0x80, ...Array(13).fill(0), 1])).toBe("fe80::1");
    expect(formatIpv6([...Array(10).fill(0), 0xff, 0xff, 127, 0, 0, 1])).toBe("::ffff:127.0.0.1");
    expect(isLoopback("::ffff:127.0.0.1")).toBe(true);
    expect(isLoopback("10.0.0.1")).toBe(false);
    expect(isWildcard("::")).toBe(true);
  });

  test("finds this process's listening socket, memory and start time", () => {
    const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("x") });
    try {
      const listeners = listeningSockets();
      expect(listeners.some((l) => l.port === server.port && l.address === "127.0.0.1")).toBe(true);
      const info = processInfo(process.pid, listeners);
      expect(info.alive).toBe(true);
      expect(info.rssBytes).toBeGreaterThan(1_000_000);
      expect(Math.abs(info.startedAt!.getTime() - (Date.now() - process.uptime() * 1000))).toBeLessThan(5_000);
      expect(info.listening.map((l) => l.port)).toContain(server.port!);
      expect(pidListeningOn(server.port!, listeners)).toBe(process.pid);
      expect(processInfo(2 ** 22 + 1).alive).toBe(false);
    } finally {
      server.stop(true);
    }
  });
});
