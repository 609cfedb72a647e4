/** The shapes of Keycloak admin API resources HiveMatrix reads and writes (only the fields it uses). */
export interface RealmRepresentation {
  id?: string;
  realm: string;
  enabled?: boolean;
  displayName?: string;
  sslRequired?: "none" | "external" | "all";
  registrationAllowed?: boolean;
  resetPasswordAllowed?: boolean;
  loginWithEmailAllowed?: boolean;
  bruteForceProtected?: boolean;
  permanentLockout?: boolean;
  /** Failures before a temporary lockout. */
  failureFactor?: number;
  waitIncrementSeconds?: number;
  maxFailureWaitSeconds?: number;
  quickLoginCheckMilliSeconds?: number;
  minimumQuickLoginWaitSeconds?: number;
  /** When the failure count resets. */
  maxDeltaTimeSeconds?: number;
  [key: string]: unknown;
}

export interface ClientRepresentation {
  id?: string;
  clientId: string;
  name?: string;
  enabled?: boolean;
  protocol?: "openid-connect";
  publicClient?: boolean;
  clientAuthenticatorType?: string;
  secret?: string;
  standardFlowEnabled?: boolean;
  implicitFlowEnabled?: boolean;
  directAccessGrantsEnabled?: boolean;
  serviceAccountsEnabled?: boolean;
  redirectUris?: string[];
  webOrigins?: string[];
  attributes?: Record<string, string>;
  [key: string]: unknown;
}

export interface ProtocolMapperRepresentation {
  id?: string;
  name: string;
  protocol: "openid-connect";
  protocolMapper: string;
  config: Record<string, string>;
}

export interface GroupRepresentation {
  id?: string;
  name: string;
  path?: string;
  subGroupCount?: number;
  subGroups?: GroupRepresentation[];
}

export interface CredentialRepresentation {
  type: "password";
  value: string;
  /** A temporary password must be changed at the next sign-in (required action UPDATE_PASSWORD). */
  temporary: boolean;
}

/** The required action that makes a user choose a new password at the next sign-in. */
export const UPDATE_PASSWORD = "UPDATE_PASSWORD";

export interface UserRepresentation {
  id?: string;
  /** Keycloak stores usernames (and emails) in lower case. */
  username: string;
  /** Keycloak creates a user disabled unless this is true. */
  enabled?: boolean;
  email?: string;
  emailVerified?: boolean;
  firstName?: string;
  lastName?: string;
  /** Custom attributes, e.g. `company: ["ACME-001"]` for a client user. */
  attributes?: Record<string, string[]>;
  requiredActions?: string[];
  /** On create only. */
  credentials?: CredentialRepresentation[];
  /** On create only: group names or paths ("technicians" or "/technicians") to join. */
  groups?: string[];
  /** Milliseconds since the epoch. */
  createdTimestamp?: number;
  [key: string]: unknown;
}

/**
 * Keycloak's user filters. `search` matches username, email, first or last name, each
 * whitespace-separated word as a prefix (`*foo*` infix, `"foo"` exact); `username`, `email`,
 * `firstName` and `lastName` match as "contains", or whole values with `exact`.
 */
export interface UserQuery {
  search?: string;
  username?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  exact?: boolean;
  enabled?: boolean;
  /** Paging: offset and page size (Keycloak's default page is 100). */
  first?: number;
  max?: number;
  /** Leave out attributes and required actions. */
  briefRepresentation?: boolean;
}

export interface UserProfileAttribute {
  name: string;
  displayName?: string;
  multivalued?: boolean;
  permissions?: { view: string[]; edit: string[] };
  [key: string]: unknown;
}

export interface UserProfileConfig {
  attributes: UserProfileAttribute[];
  [key: string]: unknown;
}
