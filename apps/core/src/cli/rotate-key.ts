/** `bun run core:rotate-key`: adds a new signing key; the previous one stays published until its tokens expire. */
import { loadPlatformConfig, runMain } from "@hivematrix/lib/config";
import { ensureHome } from "@hivematrix/lib/secrets";
import { KeyStore } from "../keys/store.ts";

await runMain(async () => {
  const config = loadPlatformConfig();
  ensureHome(config.home);
  const store = await KeyStore.open(config.home);
  const kid = await store.rotate();
  console.log(`New signing key ${kid} is now current; the previous key stays in the JWKS until its tokens expire.`);
});
