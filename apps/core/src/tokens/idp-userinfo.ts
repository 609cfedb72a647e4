import { z } from "zod";
import { HttpError } from "@hivematrix/lib/errors";

const userinfoSchema = z.object({
  sub: z.string().min(1),
  preferred_username: z.string().min(1),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  email: z.string().optional(),
  groups: z.array(z.string()).default([]),
  company: z.string().min(1).optional(),
});
export type IdpUser = z.infer<typeof userinfoSchema>;

/**
 * Asks the identity provider who an access token belongs to. Core trusts only this answer,
 * never claims it was handed: the token is checked where it was issued.
 */
export async function fetchUserinfo(realmUrl: string, accessToken: string): Promise<IdpUser> {
  let res: Response;
  try {
    res = await fetch(`${realmUrl}/protocol/openid-connect/userinfo`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
      signal: AbortSignal.timeout(5_000),
    });
  } catch {
    throw new HttpError(503, "idp_unavailable", "The identity provider cannot be reached.");
  }
  if (res.status === 401 || res.status === 403) {
    throw new HttpError(401, "invalid_access_token", "The identity provider did not accept this access token.");
  }
  if (!res.ok) throw new HttpError(502, "idp_error", `The identity provider answered ${res.status}.`);
  // Stryker disable next-line ArrowFunction: null or undefined, a body that is not JSON fails the schema alike
  const parsed = userinfoSchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success)
    throw new HttpError(502, "idp_error", "The identity provider's userinfo lacks sub or preferred_username.");
  return parsed.data;
}

export function displayName(u: IdpUser): string {
  return u.name || [u.given_name, u.family_name].filter(Boolean).join(" ") || u.preferred_username;
}
