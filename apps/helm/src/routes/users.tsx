import type { Context, Hono } from "hono";
import { z } from "zod";
import { prefixOf, type AppEnv } from "@hivematrix/lib/app";
import { HttpError, notFound } from "@hivematrix/lib/errors";
import { formBody, jsonBody, parseWith, queryParams } from "@hivematrix/lib/validate";
import type { HelmDeps } from "../context.ts";
import {
  createUser,
  deleteUser,
  getUser,
  listUsers,
  resetPassword,
  updateUser,
  UserActionError,
  type UserAdmin,
} from "../users/directory.ts";
import {
  apiListQuery,
  createBody,
  createForm,
  idParam,
  listQuery,
  PAGE_SIZE,
  resetBody,
  resetForm,
  updateBody,
  updateForm,
} from "../users/schema.ts";
import { EditUserPage, NewUserPage, PasswordShownPage, UsersListPage, valuesOf } from "../views/users-pages.tsx";
import { adminPages, jsonOnly, pageContext } from "./guards.ts";

const CODES = { 404: "not_found", 409: "conflict", 422: "validation_failed", 503: "idp_unavailable" } as const;

/** An API's answer to a refused action: the JSON error shape, with the field in details. */
const apiError = (e: UserActionError) =>
  new HttpError(e.status, CODES[e.status], e.message, e.field ? [{ field: e.field, message: e.message }] : null);

const noticeQuery = z.object({
  notice: z.enum(["saved", "deleted"]).optional(),
  ended: z.coerce.number().int().min(0).max(10_000).optional(),
});

function noticeOf(c: Context): string | undefined {
  const q = noticeQuery.safeParse({ notice: c.req.query("notice"), ended: c.req.query("ended") });
  if (!q.success || !q.data.notice) return undefined;
  const ended = q.data.ended
    ? ` ${q.data.ended} HiveMatrix session${q.data.ended === 1 ? "" : "s"} of theirs ended.`
    : "";
  return (q.data.notice === "saved" ? "Saved." : "The user was deleted.") + ended;
}

/**
 * User management (admins only, people only): the identity provider's users and groups through
 * lib/keycloak-admin, the same client for the dev IdP and a real Keycloak. Pages at /users, the
 * same as JSON at /api/users. Every action is logged with the admin's name.
 */
export function userRoutes(app: Hono<AppEnv>, deps: HelmDeps) {
  const pages = adminPages(deps);
  // People only, for reads too: a service token has no business listing or creating people.
  const api = deps.auth.requireUser("admin");

  const adminOf = (c: Context<AppEnv>): UserAdmin => {
    const kc = deps.keycloak();
    if (!kc)
      throw new UserActionError(
        503,
        "Helm has no admin account for the identity provider: start HiveMatrix with `bun run start` (it writes secrets/keycloak-admin.secret) or set KEYCLOAK_ADMIN_PASSWORD.",
      );
    const u = c.get("user")!;
    return {
      kc,
      realm: deps.config.idp.realm,
      actor: { sub: u.sub, username: u.preferred_username },
      log: c.get("log"),
      companyExists: deps.companyExists,
      endSessions: deps.endSessions,
    };
  };
  const idOf = (c: Context) => {
    const id = idParam.safeParse(c.req.param("id"));
    if (!id.success) throw notFound("There is no such user.");
    return id.data;
  };
  const asApi = async <T,>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      throw e instanceof UserActionError ? apiError(e) : e;
    }
  };
  /** A JSON body that may be empty (`{}` assumed). */
  const optionalJson = async <S extends z.ZodType>(c: Context, schema: S) => {
    const text = await c.req.raw.clone().text();
    return text.trim() ? jsonBody(c, schema) : parseWith(schema, {});
  };

  // JSON API
  app.get("/api/users", api, async (c) => {
    const q = queryParams(c, apiListQuery);
    const { users, total } = await asApi(() => listUsers(adminOf(c).kc, deps.config.idp.realm, q));
    return c.json({ users, total, first: q.first, max: q.max });
  });

  app.post("/api/users", api, jsonOnly, async (c) => {
    const input = await jsonBody(c, createBody);
    const { user, password } = await asApi(() => createUser(adminOf(c), input));
    // The password is in this answer only: nothing may keep a copy.
    c.header("Cache-Control", "no-store");
    return c.json({ user, password, temporary: input.temporary }, 201);
  });

  app.get("/api/users/:id", api, async (c) =>
    c.json({ user: await asApi(() => getUser(adminOf(c).kc, deps.config.idp.realm, idOf(c))) }),
  );

  app.put("/api/users/:id", api, jsonOnly, async (c) => {
    const id = idOf(c);
    const changes = await jsonBody(c, updateBody);
    const { user, sessionsEnded } = await asApi(() => updateUser(adminOf(c), id, changes));
    return c.json({ user, sessions_ended: sessionsEnded });
  });

  app.post("/api/users/:id/reset-password", api, jsonOnly, async (c) => {
    const id = idOf(c);
    const { temporary } = await optionalJson(c, resetBody);
    const { user, password, sessionsEnded } = await asApi(() => resetPassword(adminOf(c), id, temporary));
    c.header("Cache-Control", "no-store");
    return c.json({ user, password, temporary, sessions_ended: sessionsEnded });
  });

  app.delete("/api/users/:id", api, async (c) => {
    const id = idOf(c);
    const { user, sessionsEnded } = await asApi(() => deleteUser(adminOf(c), id));
    return c.json({ message: `Deleted ${user.username}.`, sessions_ended: sessionsEnded });
  });

  // Pages
  app.get("/users", ...pages, async (c) => {
    const ctx = pageContext(c, deps);
    const parsed = listQuery.safeParse(c.req.query());
    if (!parsed.success)
      return c.html(
        <UsersListPage
          ctx={ctx}
          q={c.req.query("q") ?? ""}
          page={1}
          pageSize={PAGE_SIZE}
          users={[]}
          total={0}
          queryError={parsed.error.issues[0]!.message}
        />,
        422,
      );
    const { q, page } = parsed.data;
    try {
      const { users, total } = await listUsers(adminOf(c).kc, deps.config.idp.realm, {
        q,
        first: (page - 1) * PAGE_SIZE,
        max: PAGE_SIZE,
      });
      return c.html(
        <UsersListPage
          ctx={ctx}
          q={q ?? ""}
          page={page}
          pageSize={PAGE_SIZE}
          users={users}
          total={total}
          notice={noticeOf(c)}
        />,
      );
    } catch (e) {
      if (!(e instanceof UserActionError)) throw e;
      return c.html(
        <UsersListPage ctx={ctx} q={q ?? ""} page={page} pageSize={PAGE_SIZE} users={[]} total={0} error={e.message} />,
        e.status,
      );
    }
  });

  app.get("/users/new", ...pages, (c) => c.html(<NewUserPage ctx={pageContext(c, deps)} values={{}} errors={{}} />));

  app.post("/users", ...pages, async (c) => {
    const ctx = pageContext(c, deps);
    const form = await formBody(c, createForm);
    const values = { ...form.raw, temporary: form.raw.temporary ?? "off" };
    if (!form.ok) return c.html(<NewUserPage ctx={ctx} values={values} errors={form.errors} />, 422);
    try {
      const { user, password } = await createUser(adminOf(c), form.data);
      return c.html(
        <PasswordShownPage ctx={ctx} user={user} password={password} temporary={form.data.temporary} created />,
        201,
      );
    } catch (e) {
      if (!(e instanceof UserActionError)) throw e;
      return c.html(
        <NewUserPage
          ctx={ctx}
          values={values}
          errors={e.field ? { [e.field]: e.message } : {}}
          error={e.field ? undefined : e.message}
        />,
        e.status,
      );
    }
  });

  const editPage = async (
    c: Context<AppEnv>,
    id: string,
    extra: { values?: Record<string, string>; errors?: Record<string, string>; error?: string },
    status: 200 | 404 | 409 | 422 | 503 = 200,
  ) => {
    const user = await getUser(adminOf(c).kc, deps.config.idp.realm, id).catch((e) => {
      throw e instanceof UserActionError && e.status === 404 ? notFound(e.message) : e;
    });
    return c.html(
      <EditUserPage
        ctx={pageContext(c, deps)}
        user={user}
        values={extra.values ?? valuesOf(user)}
        errors={extra.errors ?? {}}
        error={extra.error}
        notice={status === 200 ? noticeOf(c) : undefined}
      />,
      status,
    );
  };
  /** A refused action on a user's page: the message next to its field, or above the form. */
  const refusedOn = (c: Context<AppEnv>, id: string, e: unknown, values?: Record<string, string>) => {
    if (!(e instanceof UserActionError)) throw e;
    if (e.status === 404) throw notFound(e.message);
    return editPage(
      c,
      id,
      { values, errors: e.field ? { [e.field]: e.message } : {}, error: e.field ? undefined : e.message },
      e.status,
    );
  };

  app.get("/users/:id", ...pages, async (c) => {
    try {
      return await editPage(c, idOf(c), {});
    } catch (e) {
      if (e instanceof UserActionError)
        return c.html(
          <UsersListPage
            ctx={pageContext(c, deps)}
            q=""
            page={1}
            pageSize={PAGE_SIZE}
            users={[]}
            total={0}
            error={e.message}
          />,
          e.status,
        );
      throw e;
    }
  });

  app.post("/users/:id", ...pages, async (c) => {
    const id = idOf(c);
    const form = await formBody(c, updateForm);
    const values = { ...form.raw, enabled: form.raw.enabled ?? "" };
    if (!form.ok) return editPage(c, id, { values, errors: form.errors }, 422);
    const d = form.data;
    try {
      const { sessionsEnded } = await updateUser(adminOf(c), id, {
        first_name: d.first_name ?? null,
        last_name: d.last_name ?? null,
        email: d.email,
        enabled: d.enabled,
        level: d.level,
        company: d.company ?? null,
      });
      return c.redirect(
        `${prefixOf(c)}/users/${id}?notice=saved${sessionsEnded ? `&ended=${sessionsEnded}` : ""}`,
        303,
      );
    } catch (e) {
      return refusedOn(c, id, e, values);
    }
  });

  app.post("/users/:id/reset-password", ...pages, async (c) => {
    const id = idOf(c);
    const form = await formBody(c, resetForm);
    const temporary = form.ok ? form.data.temporary : true;
    try {
      const { user, password, sessionsEnded } = await resetPassword(adminOf(c), id, temporary);
      return c.html(
        <PasswordShownPage
          ctx={pageContext(c, deps)}
          user={user}
          password={password}
          temporary={temporary}
          created={false}
          sessionsEnded={sessionsEnded}
        />,
      );
    } catch (e) {
      return refusedOn(c, id, e);
    }
  });

  app.post("/users/:id/delete", ...pages, async (c) => {
    const id = idOf(c);
    try {
      const { sessionsEnded } = await deleteUser(adminOf(c), id);
      return c.redirect(`${prefixOf(c)}/users?notice=deleted${sessionsEnded ? `&ended=${sessionsEnded}` : ""}`, 303);
    } catch (e) {
      return refusedOn(c, id, e);
    }
  });
}
