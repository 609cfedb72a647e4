import type { HttpBindings } from "@hono/node-server";
import type { Context } from "hono";
import { errors } from "oidc-provider";
import { z } from "zod";
import { HttpError } from "@hivematrix/lib/errors";
import type { RouteTable } from "@hivematrix/lib/route-table";
import { formBody } from "@hivematrix/lib/validate";
import type { Deps } from "../deps.ts";
import { clientAddress, forwardedPrefix } from "../forwarded.ts";
import { authenticate, findUser, setPassword, UPDATE_PASSWORD, verifyPassword } from "../users/data.ts";
import { LoginPage, UpdatePasswordPage } from "./views.tsx";

/** How long a user who signed in with a temporary password has to choose a new one (the interaction's life). */
const PASSWORD_CHANGE_MS = 600_000;

type Status = 200 | 400 | 401 | 429;

const loginForm = z.object({
  username: z.string().trim().min(1, "Enter your username."),
  password: z.string().min(1, "Enter your password."),
});

const newPasswordForm = z
  .object({
    "password-new": z.string().min(8, "Use at least 8 characters.").max(200, "Use at most 200 characters."),
    "password-confirm": z.string(),
  })
  .refine((f) => f["password-new"] === f["password-confirm"], {
    path: ["password-confirm"],
    message: "The passwords do not match.",
  });

const expired = () =>
  new HttpError(400, "sign_in_expired", "This sign-in attempt has expired. Go back to HiveMatrix and sign in again.");

/**
 * The realm's sign-in pages, where oidc-provider sends a browser (an "interaction"): the form,
 * and Keycloak's "Update password" step after a temporary password. They stand in for
 * Keycloak's login theme (plain forms, no JavaScript), so they are Hono routes of their own
 * rather than HiveMatrix pages of the route table: nobody is signed in to HiveMatrix here.
 */
export function signInPages(routes: RouteTable, deps: Deps) {
  const { db, provider, logger, throttle } = deps;
  const base = `/realms/${deps.settings.realm}/login-actions/authenticate/:uid`;
  /** Sign-ins waiting for a new password: interaction uid → user. */
  const passwordChanges = new Map<string, { userId: string; until: number }>();
  const node = (c: Context) => c.env as HttpBindings;
  const actionOf = (c: Context) => forwardedPrefix(node(c).incoming) + c.req.path;
  const render = (c: Context, title: string, body: Parameters<Context["render"]>[0], status: Status = 200) => {
    c.status(status);
    return c.render(body, { title });
  };

  /** The interaction this browser is in; a missing or stale one is a clear 400, not a 500. */
  const interaction = async (c: Context) => {
    try {
      const details = await provider.interactionDetails(node(c).incoming, node(c).outgoing);
      if (details.uid === c.req.param("uid")) return details;
    } catch (e) {
      if (!(e instanceof errors.SessionNotFound)) throw e;
    }
    throw expired();
  };
  const signedIn = (c: Context, userId: string) =>
    provider.interactionResult(
      node(c).incoming,
      node(c).outgoing,
      { login: { accountId: userId } },
      { mergeWithLastSubmission: false },
    );

  routes.app.get(base, async (c) => {
    await interaction(c);
    return render(c, "Sign in", <LoginPage action={actionOf(c)} clientName="HiveMatrix" />);
  });

  routes.app.post(base, async (c) => {
    const { uid } = await interaction(c);
    const form = await formBody(c, loginForm);
    const page = (error: string, username?: string) => (
      <LoginPage action={actionOf(c)} clientName="HiveMatrix" username={username} error={error} />
    );
    if (!form.ok) return render(c, "Sign in", page(Object.values(form.errors)[0]!, form.raw.username), 400);
    const { username, password } = form.data;
    const address = clientAddress(node(c).incoming);
    const wait = await throttle.waitSeconds(username, address);
    if (wait > 0) {
      logger.warn("sign-in throttled", { username, address, retry_after_s: wait });
      c.header("Retry-After", String(wait));
      const error = `Too many failed sign-ins. Wait ${wait} seconds, then try again.`;
      return render(c, "Sign in", page(error, username), 429);
    }
    const result = await authenticate(db, username, password);
    if (!result.ok) {
      await throttle.failed(username, address);
      logger.info("sign-in refused", { username, reason: result.reason });
      const disabled = result.reason === "disabled";
      const error = disabled ? "Account is disabled, contact your administrator." : "Invalid username or password.";
      return render(c, "Sign in", page(error, username), 401);
    }
    const { user } = result;
    await throttle.succeeded(username);
    if (user.requiredActions.includes(UPDATE_PASSWORD)) {
      const now = Date.now();
      for (const [key, pending] of passwordChanges) if (pending.until < now) passwordChanges.delete(key);
      passwordChanges.set(uid, { userId: user.id, until: now + PASSWORD_CHANGE_MS });
      logger.info("signed in with a temporary password; asking for a new one", { username: user.username });
      return c.redirect(`${actionOf(c)}/update-password`, 303);
    }
    logger.info("signed in", { username: user.username });
    return c.redirect(await signedIn(c, user.id), 303);
  });

  /** The user this sign-in is changing the password of; only the browser holding the interaction gets here. */
  const pendingChange = async (c: Context) => {
    const { uid } = await interaction(c);
    const pending = passwordChanges.get(uid);
    const user = pending && pending.until > Date.now() ? await findUser(db, pending.userId) : null;
    if (!user?.enabled) throw expired();
    return { uid, user };
  };

  routes.app.get(`${base}/update-password`, async (c) => {
    const { user } = await pendingChange(c);
    return render(c, "Update password", <UpdatePasswordPage action={actionOf(c)} username={user.username} />);
  });

  routes.app.post(`${base}/update-password`, async (c) => {
    const { uid, user } = await pendingChange(c);
    const form = await formBody(c, newPasswordForm);
    const page = (errors: Record<string, string>) => (
      <UpdatePasswordPage action={actionOf(c)} username={user.username} errors={errors} />
    );
    if (!form.ok) return render(c, "Update password", page(form.errors), 400);
    if (await verifyPassword(db, user.id, form.data["password-new"]))
      return render(
        c,
        "Update password",
        page({ "password-new": "Choose a password different from the temporary one." }),
        400,
      );
    await setPassword(db, user.id, form.data["password-new"], false);
    passwordChanges.delete(uid);
    logger.info("password updated at sign-in", { username: user.username });
    return c.redirect(await signedIn(c, user.id), 303);
  });
}
