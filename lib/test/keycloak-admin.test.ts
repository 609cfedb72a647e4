import { createKeycloakAdmin } from "../src/keycloak-admin.ts";
import { keycloakAdminContract } from "../src/testing/keycloak-admin-contract.ts";
import { startFakeKeycloak } from "../src/testing/fake-keycloak.ts";

const GROUPS = ["admins", "technicians", "billing", "client"];

// The same suite runs against the dev IdP in apps/dev-idp/test/admin-api.test.ts.
keycloakAdminContract("lib's fake Keycloak", async () => {
  const kc = startFakeKeycloak({ password: "fake-bootstrap-secret", realms: { hivematrix: { groups: GROUPS } } });
  return { url: kc.url, username: "admin", password: "fake-bootstrap-secret", realm: "hivematrix", stop: kc.stop };
});

// And against a real Keycloak when one is given (e.g. HIVEMATRIX_TEST_KEYCLOAK_URL=http://127.0.0.1:8080
// HIVEMATRIX_TEST_KEYCLOAK_PASSWORD=<bootstrap admin's>): in a throw-away realm, deleted afterwards.
const real = process.env.HIVEMATRIX_TEST_KEYCLOAK_URL;
if (real) {
  keycloakAdminContract(`Keycloak at ${real}`, async () => {
    const credentials = {
      username: process.env.HIVEMATRIX_TEST_KEYCLOAK_USER || "admin",
      password: process.env.HIVEMATRIX_TEST_KEYCLOAK_PASSWORD ?? "",
    };
    const kc = createKeycloakAdmin({ url: real, ...credentials });
    const realm = `hm-contract-${Math.random().toString(36).slice(2, 8)}`;
    await kc.createRealm({ realm, enabled: true });
    for (const g of GROUPS) await kc.createGroup(realm, g);
    const profile = await kc.getUserProfile(realm);
    profile.attributes.push({ name: "company", multivalued: false, permissions: { view: ["admin"], edit: ["admin"] } });
    await kc.updateUserProfile(realm, profile);
    return { url: real, ...credentials, realm, stop: () => kc.deleteRealm(realm) };
  });
}
