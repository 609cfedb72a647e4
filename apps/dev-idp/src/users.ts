/** The dev identity provider's seeded users: the same four levels a real Keycloak realm has. */
export interface DevUser {
  id: string;
  username: string;
  password: string;
  firstName: string;
  lastName: string;
  email: string;
  groups: string[];
  /** Account number of the company a client user belongs to. */
  company?: string;
}

export const DEV_USERS: readonly DevUser[] = [
  { id: "3f1c2a4e-0001-4d6b-9a51-admin0000001", username: "admin", password: "admin", firstName: "Ada", lastName: "Admin", email: "admin@hivematrix.local", groups: ["admins"] },
  { id: "3f1c2a4e-0002-4d6b-9a51-tech00000001", username: "tech", password: "tech", firstName: "Toby", lastName: "Technician", email: "tech@hivematrix.local", groups: ["technicians"] },
  { id: "3f1c2a4e-0003-4d6b-9a51-billing00001", username: "billing", password: "billing", firstName: "Bea", lastName: "Billing", email: "billing@hivematrix.local", groups: ["billing"] },
  { id: "3f1c2a4e-0004-4d6b-9a51-client000001", username: "client", password: "client", firstName: "Cody", lastName: "Client", email: "client@acme.example", groups: ["client"], company: "ACME-001" },
];

export interface UserStore {
  byId(id: string): DevUser | undefined;
  /** The user when the password is right, otherwise null (same time either way). */
  authenticate(username: string, password: string): Promise<DevUser | null>;
}

export async function createUserStore(users: readonly DevUser[] = DEV_USERS): Promise<UserStore> {
  const hashes = new Map<string, string>();
  for (const u of users) hashes.set(u.username, await Bun.password.hash(u.password, { algorithm: "bcrypt", cost: 4 }));
  // Verifying against a dummy hash for unknown names keeps timing from revealing which users exist.
  const dummy = await Bun.password.hash(crypto.randomUUID(), { algorithm: "bcrypt", cost: 4 });
  return {
    byId: (id) => users.find((u) => u.id === id),
    async authenticate(username, password) {
      const user = users.find((u) => u.username === username);
      const ok = await Bun.password.verify(password, hashes.get(username) ?? dummy);
      return ok && user ? user : null;
    },
  };
}

export function claimsOf(user: DevUser) {
  return {
    sub: user.id,
    name: `${user.firstName} ${user.lastName}`,
    given_name: user.firstName,
    family_name: user.lastName,
    preferred_username: user.username,
    email: user.email,
    email_verified: true,
    groups: user.groups,
    ...(user.company ? { company: user.company } : {}),
  };
}
