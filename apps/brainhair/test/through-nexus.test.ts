import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { startPlatform, type TestPlatform } from "@hivematrix/lib/testing";

setDefaultTimeout(90_000);

/** Brainhair as the real process bun run start runs, reached through Nexus as every person does. */
describe("Brainhair through Nexus", () => {
  let platform: TestPlatform;
  let nexus: string;

  beforeAll(async () => {
    platform = await startPlatform({
      apps: { brainhair: { title: "Brainhair" }, nexus: { title: "Nexus", visible: false } },
    });
    nexus = `http://127.0.0.1:${platform.ports.nexus}`;
  });
  afterAll(() => platform?.stop());

  const filter = async (body: unknown) =>
    fetch(`${nexus}/brainhair/api/filter`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await platform.token("client")}`,
        "content-type": "application/json",
        accept: "application/json",
      },
      body: JSON.stringify(body),
    });

  test("POST /brainhair/api/filter answers the seed's example with exactly the seed's \"after\" at hipaa", async () => {
    const res = await filter({
      level: "hipaa",
      data: {
        requester: "John Smith",
        email: "john.smith@example.com",
        phone: "555-123-4567",
        description: "Need help with SSN 123-45-6789",
        ip_address: "192.168.1.100",
      },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      data: {
        requester: "John S.",
        email: "<EMAIL_ADDRESS>",
        phone: "<PHONE_NUMBER>",
        description: "Need help with SSN <US_SSN>",
        ip_address: "<IP_ADDRESS>",
      },
    });
    expect((await filter({ level: "top-secret", text: "x" })).status).toBe(422);
  });

  test("it started without a key: healthy, and its page says what to configure", async () => {
    const health = (await (await fetch(`${platform.urls.brainhair}/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: "ok", service: "brainhair", key: "none", model: null });
    const page = await fetch(`${nexus}/brainhair/`, {
      headers: { authorization: `Bearer ${await platform.token("technician")}`, accept: "text/html" },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("ANTHROPIC_API_KEY");
  });
});
