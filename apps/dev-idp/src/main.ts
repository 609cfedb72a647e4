import { IDENTITY_PROVIDER, loadPlatformConfig, nexusOrigins, runMain } from "@hivematrix/lib/config";
import { createProcessLogging } from "@hivematrix/lib/runtime";
import { startDevIdp } from "./server.tsx";
import { redirectUrisFor } from "./redirects.ts";

await runMain(async () => {
  const config = loadPlatformConfig();
  const { logger, logShipper } = createProcessLogging(IDENTITY_PROVIDER, config);
  const url = new URL(config.idp.url);
  const { redirectUris, postLogoutRedirectUris } = redirectUrisFor(config, process.env);
  const idp = await startDevIdp({
    home: config.home,
    host: url.hostname,
    port: Number(url.port || 80),
    realm: config.idp.realm,
    clientId: config.idp.clientId,
    redirectUris,
    postLogoutRedirectUris,
    publicOrigins: nexusOrigins(config, process.env),
    logger,
  });
  logger.info("dev identity provider listening", { url: idp.url, issuer: idp.issuer, redirect_uris: redirectUris });
  const stop = async () => {
    await idp.close();
    await logShipper?.flush(2_000);
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
});
