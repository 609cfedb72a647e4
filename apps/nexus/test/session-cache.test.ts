import { describe, expect, test } from "bun:test";
import { sseEvents } from "../src/sessions/revocation-feed.ts";
import { SessionCache } from "../src/sessions/session-cache.ts";

const NOW = 1_800_000_000_000;
const claims = (jti: string, expiresInS = 3600) => ({ jti, exp: NOW / 1000 + expiresInS });

describe("the session cache", () => {
  test("answers for a credential while its token is unexpired and Core vouched for its session", () => {
    const live = new Set(["s1"]);
    const cache = new SessionCache<string>((jti) => live.has(jti));
    cache.set("cookie-1", "session one", claims("s1", 60));
    expect(cache.get("cookie-1", NOW)).toBe("session one");
    expect(cache.get("other", NOW)).toBeUndefined();
    // Expired: refused at once, whatever Core said a moment ago.
    expect(cache.get("cookie-1", NOW + 60_000)).toBeUndefined();
    // No fresh verdict (revoked, or not asked lately): the caller must ask Core again.
    live.delete("s1");
    expect(cache.get("cookie-1", NOW)).toBeUndefined();
  });

  test("dropping a session drops every credential of it at once", () => {
    const cache = new SessionCache<string>(() => true);
    cache.set("cookie", "a", claims("s1"));
    cache.set("Bearer x", "a", claims("s1"));
    cache.set("cookie-2", "b", claims("s2"));
    cache.dropSession("s1");
    expect([cache.get("cookie", NOW), cache.get("Bearer x", NOW), cache.get("cookie-2", NOW)]).toEqual([
      undefined,
      undefined,
      "b",
    ]);
  });

  test("keeps at most its limit, dropping the least recently verified", () => {
    const cache = new SessionCache<string>(() => true, 2);
    cache.set("one", "1", claims("s1"));
    cache.set("two", "2", claims("s2"));
    cache.set("one", "1", claims("s1"));
    cache.set("three", "3", claims("s3"));
    expect(cache.size).toBe(2);
    expect([cache.get("one", NOW), cache.get("two", NOW), cache.get("three", NOW)]).toEqual(["1", undefined, "3"]);
  });
});

describe("Core's revocation feed", () => {
  test("server-sent events are read across chunk boundaries; comments are skipped", () => {
    const events: [string, string][] = [];
    const feed = sseEvents((event, data) => events.push([event, data]));
    feed("event: ready\ndata: \n\n: ping\n\nevent: revo");
    feed("ked\ndata: abc\n\nevent: revoked\n");
    feed("data: def\n\n");
    expect(events).toEqual([
      ["ready", ""],
      ["revoked", "abc"],
      ["revoked", "def"],
    ]);
  });
});
