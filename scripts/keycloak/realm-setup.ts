import { randomBytes } from "node:crypto";
import type {
  ClientRepresentation,
  KeycloakAdmin,
  ProtocolMapperRepresentation,
  RealmRepresentation,
} from "@hivematrix/lib/keycloak-admin";

/** What HiveMatrix needs from its Keycloak realm (DESIGN.md "Identity and sessions"). */
export interface RealmSpec {
  realm: string;
  clientId: string;
  clientSecret: string;
  /** Nexus's one public origin: the exact redirect and post-logout URIs are on it (no wildcards). */
  nexusOrigin: string;
  adminUsername: string;
}

export const GROUPS = ["admins", "technicians", "billing", "client"];

export function desiredRealm(spec: RealmSpec): RealmRepresentation {
  return {
    realm: spec.realm,
    enabled: true,
    displayName: "HiveMatrix",
    sslRequired: "external",
    registrationAllowed: false,
    resetPasswordAllowed: false,
    loginWithEmailAllowed: true,
    ...BRUTE_FORCE,
  };
}

/**
 * Keycloak's brute-force detection (its defaults allow 30 failures before any lockout): after
 * 5 wrong passwords a user waits a minute, doubling per further failure up to 15 minutes;
 * failures less than a second apart lock for a minute at once. Counts reset after 12 hours
 * without one. Lockouts are temporary, so guessing cannot lock a person out for good.
 */
export const BRUTE_FORCE = {
  bruteForceProtected: true,
  permanentLockout: false,
  failureFactor: 5,
  waitIncrementSeconds: 60,
  maxFailureWaitSeconds: 900,
  quickLoginCheckMilliSeconds: 1000,
  minimumQuickLoginWaitSeconds: 60,
  maxDeltaTimeSeconds: 43_200,
} satisfies Partial<RealmRepresentation>;

export function desiredClient(spec: RealmSpec): ClientRepresentation {
  return {
    clientId: spec.clientId,
    name: "HiveMatrix",
    enabled: true,
    protocol: "openid-connect",
    publicClient: false,
    clientAuthenticatorType: "client-secret",
    secret: spec.clientSecret,
    standardFlowEnabled: true,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: false,
    serviceAccountsEnabled: false,
    redirectUris: [`${spec.nexusOrigin}/keycloak-callback`],
    webOrigins: [spec.nexusOrigin],
    attributes: {
      "post.logout.redirect.uris": `${spec.nexusOrigin}/signed-out`,
      "pkce.code.challenge.method": "S256",
    },
  };
}

export const MAPPERS: ProtocolMapperRepresentation[] = [
  {
    name: "groups",
    protocol: "openid-connect",
    protocolMapper: "oidc-group-membership-mapper",
    config: {
      "claim.name": "groups",
      "full.path": "false",
      "id.token.claim": "true",
      "access.token.claim": "true",
      "userinfo.token.claim": "true",
    },
  },
  {
    // A client user's company (account number) rides in the tokens and userinfo, as with the dev IdP.
    name: "company",
    protocol: "openid-connect",
    protocolMapper: "oidc-usermodel-attribute-mapper",
    config: {
      "claim.name": "company",
      "user.attribute": "company",
      "jsonType.label": "String",
      "id.token.claim": "true",
      "access.token.claim": "true",
      "userinfo.token.claim": "true",
    },
  },
];

const sameList = (a: unknown, b: string[]) =>
  Array.isArray(a) && JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/** The fields of `want` that `have` does not match (lists compared as sets, attributes key by key). */
function differences(have: Record<string, unknown>, want: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(want)) {
    if (key === "secret") continue;
    if (Array.isArray(value)) {
      if (!sameList(have[key], value)) out.push(key);
    } else if (value && typeof value === "object") {
      const h = (have[key] ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(value)) if (h[k] !== v) out.push(`${key}.${k}`);
    } else if (have[key] !== value) out.push(key);
  }
  return out;
}

export interface SetupResult {
  /** One line per change made; empty when the realm already matched. */
  changes: string[];
  /** Set only when the first admin was created now: shown once, never stored. */
  adminPassword: string | null;
}

/**
 * Brings the realm to what HiveMatrix needs, changing only what differs, so running it again
 * changes nothing: realm, confidential client with exact redirect URIs and the shared secret,
 * the groups and company mappers, the `company` user attribute, the four groups, and a first
 * admin user with a generated password (temporary: Keycloak asks for a new one at first sign-in).
 */
export async function setUpRealm(admin: KeycloakAdmin, spec: RealmSpec): Promise<SetupResult> {
  const changes: string[] = [];
  const realm = spec.realm;

  const wantRealm = desiredRealm(spec);
  const haveRealm = await admin.getRealm(realm);
  if (!haveRealm) {
    await admin.createRealm(wantRealm);
    changes.push(`created realm ${realm}`);
  } else {
    const diff = differences(haveRealm, wantRealm);
    if (diff.length) {
      await admin.updateRealm(realm, { ...wantRealm });
      changes.push(`updated realm ${realm} (${diff.join(", ")})`);
    }
  }

  const wantClient = desiredClient(spec);
  const haveClient = await admin.findClient(realm, spec.clientId);
  let clientUuid: string;
  if (!haveClient) {
    clientUuid = await admin.createClient(realm, wantClient);
    changes.push(`created client ${spec.clientId}`);
  } else {
    clientUuid = haveClient.id!;
    const diff = differences(haveClient, wantClient);
    if ((await admin.getClientSecret(realm, clientUuid)) !== spec.clientSecret) diff.push("secret");
    if (diff.length) {
      await admin.updateClient(realm, clientUuid, {
        ...haveClient,
        ...wantClient,
        attributes: { ...(haveClient.attributes ?? {}), ...wantClient.attributes },
      });
      changes.push(`updated client ${spec.clientId} (${diff.join(", ")})`);
    }
  }

  const mappers = await admin.listClientMappers(realm, clientUuid);
  for (const want of MAPPERS) {
    const have = mappers.find((m) => m.name === want.name);
    if (!have) {
      await admin.createClientMapper(realm, clientUuid, want);
      changes.push(`created mapper ${want.name}`);
    } else if (have.protocolMapper !== want.protocolMapper || differences(have.config, want.config).length) {
      await admin.updateClientMapper(realm, clientUuid, have.id!, want);
      changes.push(`updated mapper ${want.name}`);
    }
  }

  const profile = await admin.getUserProfile(realm);
  if (!profile.attributes.some((a) => a.name === "company")) {
    profile.attributes.push({
      name: "company",
      displayName: "Company account number",
      multivalued: false,
      permissions: { view: ["admin"], edit: ["admin"] },
    });
    await admin.updateUserProfile(realm, profile);
    changes.push("added the company user attribute");
  }

  const groups = await admin.listGroups(realm);
  const groupIds = new Map(groups.map((g) => [g.name, g.id!]));
  for (const name of GROUPS) {
    if (!groupIds.has(name)) {
      groupIds.set(name, await admin.createGroup(realm, name));
      changes.push(`created group ${name}`);
    }
  }

  let adminPassword: string | null = null;
  const existing = await admin.findUser(realm, spec.adminUsername);
  if (!existing) {
    adminPassword = randomBytes(18).toString("base64url");
    const id = await admin.createUser(realm, {
      username: spec.adminUsername,
      enabled: true,
      firstName: "HiveMatrix",
      lastName: "Administrator",
      credentials: [{ type: "password", value: adminPassword, temporary: true }],
    });
    await admin.addUserToGroup(realm, id, groupIds.get("admins")!);
    changes.push(`created user ${spec.adminUsername} in admins`);
  } else if (!(await admin.userGroups(realm, existing.id!)).some((g) => g.name === "admins")) {
    await admin.addUserToGroup(realm, existing.id!, groupIds.get("admins")!);
    changes.push(`added ${spec.adminUsername} to admins`);
  }
  return { changes, adminPassword };
}
