import { keycloakAdminContract } from "../src/testing/keycloak-admin-contract.ts";
import { startFakeKeycloak } from "../src/testing/fake-keycloak.ts";

// The same suite runs against the dev IdP in apps/dev-idp/test/admin-api.test.ts.
keycloakAdminContract("lib's fake Keycloak", async () => {
  const kc = startFakeKeycloak({ password: "fake-bootstrap-secret", realms: { hivematrix: { groups: ["admins", "technicians", "billing", "client"] } } });
  return { url: kc.url, username: "admin", password: "fake-bootstrap-secret", realm: "hivematrix", stop: kc.stop };
});
