import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "@hivematrix/lib/app";
import { notFound } from "@hivematrix/lib/errors";
import type { Notice } from "@hivematrix/lib/page";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { formBody } from "@hivematrix/lib/validate";
import { HELM_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { createUser, deleteUser, resetPassword, updateUser } from "./changes.ts";
import { getUser, listUsers, UserActionError, userAdminOf } from "./directory.ts";
import { createForm, formValuesOf, idParam, listQuery, PAGE_SIZE, resetForm, updateForm } from "./json.ts";
import { NewUserPage, PasswordShownPage, UsersListPage } from "./views.tsx";
import { EditUserPage } from "./views-edit.tsx";

const noticeQuery = z.object({
  notice: z.enum(["saved", "deleted"]).optional(),
  ended: z.coerce.number().int().min(0).max(10_000).optional(),
});

/** What the page says after a save or a delete redirected to it (only these words: a link cannot add its own). */
function noticeOf(c: Context): Notice | null {
  const query = noticeQuery.safeParse({ notice: c.req.query("notice"), ended: c.req.query("ended") });
  if (!query.success || !query.data.notice) return null;
  const { notice, ended } = query.data;
  const sessions = ended ? ` ${ended} HiveMatrix session${ended === 1 ? "" : "s"} of theirs ended.` : "";
  return { variant: "success", text: (notice === "saved" ? "Saved." : "The user was deleted.") + sessions };
}

/** The user id in the path; one that cannot be an id names nobody. */
function idOf(c: Context): string {
  const id = idParam.safeParse(c.req.param("id"));
  if (!id.success) throw notFound("There is no such user.");
  return id.data;
}

interface Refused {
  status: UserActionError["status"];
  values?: Record<string, string>;
  errors?: Record<string, string>;
  error?: string;
}

/** A refusal the page shows (at its field, or above the form); anything else is not the page's to handle. */
const refusal = (e: unknown): UserActionError => {
  if (e instanceof UserActionError) return e;
  throw e;
};

/**
 * The users pages (admins only): the list with search, a new user, a user's page with its
 * forms. A refused action re-renders the form with the message at its field.
 */
export function usersPages(routes: RouteTable, deps: Deps) {
  const realm = deps.config.idp.realm;
  const list = { title: "Users", section: "users" };
  const emptyList = { q: "", page: 1, pageSize: PAGE_SIZE, users: [], total: 0 };

  routes.page(pageRoute({ method: "get", path: "/users", access: HELM_ACCESS.adminPeople }), async (c) => {
    const parsed = listQuery.safeParse(c.req.query());
    if (!parsed.success) {
      c.status(422);
      const queryError = parsed.error.issues[0]!.message;
      return c.render(<UsersListPage {...emptyList} q={c.req.query("q") ?? ""} queryError={queryError} />, list);
    }
    const { q = "", page } = parsed.data;
    try {
      const kc = userAdminOf(c, deps).kc;
      const found = await listUsers(kc, realm, { q: q || undefined, first: (page - 1) * PAGE_SIZE, max: PAGE_SIZE });
      return c.render(<UsersListPage q={q} page={page} pageSize={PAGE_SIZE} {...found} />, {
        ...list,
        notice: noticeOf(c),
      });
    } catch (e) {
      const refused = refusal(e);
      c.status(refused.status);
      return c.render(<UsersListPage {...emptyList} q={q} page={page} error={refused.message} />, list);
    }
  });

  routes.page(pageRoute({ method: "get", path: "/users/new", access: HELM_ACCESS.adminPeople }), (c) =>
    c.render(<NewUserPage values={{}} errors={{}} />, { title: "New user", section: "users" }),
  );

  routes.page(pageRoute({ method: "post", path: "/users", access: HELM_ACCESS.adminPeople }), async (c) => {
    const form = await formBody(c, createForm);
    const values = { ...form.raw, temporary: form.raw.temporary ?? "off" };
    const again = (status: UserActionError["status"], errors: Record<string, string>, error?: string) => {
      c.status(status);
      return c.render(<NewUserPage values={values} errors={errors} error={error} />, {
        title: "New user",
        section: "users",
      });
    };
    if (!form.ok) return again(422, form.errors);
    try {
      const { user, password } = await createUser(userAdminOf(c, deps), form.data);
      c.status(201);
      return c.render(<PasswordShownPage user={user} password={password} temporary={form.data.temporary} created />, {
        title: `Created ${user.username}`,
        section: "users",
      });
    } catch (e) {
      const refused = refusal(e);
      const at = refused.field;
      return again(refused.status, at ? { [at]: refused.message } : {}, at ? undefined : refused.message);
    }
  });

  /** A user's page; after a refused form, with what was typed and the messages, at `status`. */
  const editPage = async (c: Context<AppEnv>, id: string, refused?: Refused) => {
    const user = await getUser(userAdminOf(c, deps).kc, realm, id).catch((e) => {
      throw e instanceof UserActionError && e.status === 404 ? notFound(e.message) : e;
    });
    if (refused) c.status(refused.status);
    return c.render(
      <EditUserPage
        user={user}
        values={refused?.values ?? formValuesOf(user)}
        errors={refused?.errors ?? {}}
        error={refused?.error}
      />,
      { title: `User ${user.username}`, section: "users", notice: refused ? null : noticeOf(c) },
    );
  };
  /** A refused action on a user's page: the message next to its field, or above the form. */
  const refusedOn = (c: Context<AppEnv>, id: string, e: unknown, values?: Record<string, string>) => {
    const { status, field, message } = refusal(e);
    if (status === 404) throw notFound(message);
    return editPage(c, id, {
      status,
      values,
      errors: field ? { [field]: message } : {},
      error: field ? undefined : message,
    });
  };

  routes.page(pageRoute({ method: "get", path: "/users/{id}", access: HELM_ACCESS.adminPeople }), async (c) => {
    try {
      return await editPage(c, idOf(c));
    } catch (e) {
      const refused = refusal(e);
      c.status(refused.status);
      return c.render(<UsersListPage {...emptyList} error={refused.message} />, list);
    }
  });

  routes.page(pageRoute({ method: "post", path: "/users/{id}", access: HELM_ACCESS.adminPeople }), async (c) => {
    const id = idOf(c);
    const form = await formBody(c, updateForm);
    const values = { ...form.raw, enabled: form.raw.enabled ?? "" };
    if (!form.ok) return editPage(c, id, { status: 422, values, errors: form.errors });
    const fields = form.data;
    try {
      const { sessionsEnded } = await updateUser(userAdminOf(c, deps), id, {
        first_name: fields.first_name ?? null,
        last_name: fields.last_name ?? null,
        email: fields.email,
        enabled: fields.enabled,
        level: fields.level,
        company: fields.company ?? null,
      });
      const ended = sessionsEnded ? `&ended=${sessionsEnded}` : "";
      return c.redirect(c.get("page")!.url(`/users/${id}?notice=saved${ended}`), 303);
    } catch (e) {
      return refusedOn(c, id, e, values);
    }
  });

  routes.page(
    pageRoute({ method: "post", path: "/users/{id}/reset-password", access: HELM_ACCESS.adminPeople }),
    async (c) => {
      const id = idOf(c);
      const form = await formBody(c, resetForm);
      const temporary = form.ok ? form.data.temporary : true;
      try {
        const { user, password, sessionsEnded } = await resetPassword(userAdminOf(c, deps), id, temporary);
        return c.render(
          <PasswordShownPage
            user={user}
            password={password}
            temporary={temporary}
            created={false}
            sessionsEnded={sessionsEnded}
          />,
          { title: `New password for ${user.username}`, section: "users" },
        );
      } catch (e) {
        return refusedOn(c, id, e);
      }
    },
  );

  routes.page(pageRoute({ method: "post", path: "/users/{id}/delete", access: HELM_ACCESS.adminPeople }), async (c) => {
    const id = idOf(c);
    try {
      const { sessionsEnded } = await deleteUser(userAdminOf(c, deps), id);
      const ended = sessionsEnded ? `&ended=${sessionsEnded}` : "";
      return c.redirect(c.get("page")!.url(`/users?notice=deleted${ended}`), 303);
    } catch (e) {
      return refusedOn(c, id, e);
    }
  });
}
