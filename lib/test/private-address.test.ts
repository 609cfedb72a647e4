import { expect, test } from "bun:test";
import { isPrivateAddress } from "../src/private-address.ts";

test("private-network addresses are told from every-interface, public and named hosts", () => {
  for (const host of ["10.0.0.7", "172.16.0.1", "172.31.255.255", "192.168.1.20", "fd12::1", "[fe80::1]"])
    expect(isPrivateAddress(host), host).toBe(true);
  for (const host of [
    "0.0.0.0",
    "::",
    "8.8.8.8",
    "172.32.0.1",
    "192.169.0.1",
    "2001:db8::1",
    "db.example",
    "127.0.0.1",
  ])
    expect(isPrivateAddress(host), host).toBe(false);
});
