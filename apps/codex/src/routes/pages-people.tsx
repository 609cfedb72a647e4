import { and, count, eq, inArray, isNull, notInArray } from "drizzle-orm";
import type { Context } from "hono";
import { appUrl, type AppEnv } from "@hivematrix/lib/app";
import type { Asset, Contact } from "../db/schema.ts";
import type { Deps } from "../deps.ts";
import { companiesOfContacts, contactJson, createContact, requireContact, updateContact } from "../data/contacts.ts";
import { assetJson, contactsOfAssets, requireAsset, updateAsset } from "../data/assets.ts";
import { psaLinks } from "../integrations/psa-links.ts";
import { contactListQuery, contactCompanyIds, listContacts } from "./api-contacts.ts";
import { accountsOf, assetListQuery, listAssets } from "./api-assets.ts";
import {
  AssetDetailPage,
  AssetListPage,
  CONTACT_FORM_FIELDS,
  CONTACT_STATUSES,
  ContactDetailPage,
  ContactFormPage,
  ContactListPage,
  type LinkChoices,
} from "../views/people.tsx";
import { pageCtx } from "../views/shell.tsx";
import type { RouteTable } from "./registry.ts";
import { actorOf, assertVisible, assertVisibleAny, intParam, isClient, scopeCompanyId } from "./scope.ts";
import { attempt, formInput, pageQueryOf } from "./page-helpers.ts";
import { formFields } from "@hivematrix/lib/validate";

/** Form fields → the API's contact input (companies as a comma list, checkboxes as booleans). */
function contactInput(raw: Record<string, string>, keepEmpty: boolean) {
  const input: Record<string, unknown> = formInput(
    raw,
    CONTACT_FORM_FIELDS.filter((f) => f !== "companies"),
    { keepEmpty },
  );
  if (raw.companies !== undefined) {
    input.companies = raw.companies
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  }
  input.active = raw.active === "on";
  input.vip = raw.vip === "on";
  return input;
}

/** Up to this many candidates are offered in a list; beyond, the form asks for an email or hostname. */
const MAX_CHOICES = 300;

/** Errors on `companies.0` and the like belong next to the companies field. */
const byField = (errors: Record<string, string>) =>
  Object.fromEntries(Object.entries(errors).map(([k, v]) => [k.split(".")[0]!, v]));

export function peoplePages(r: RouteTable, deps: Deps) {
  const h = deps.db;
  const tag = "Pages";

  r.add(
    { method: "get", path: "/contacts", access: "read", client: true, page: true, tag, summary: "Contacts list" },
    async (c) => {
      const q = pageQueryOf(c, contactListQuery);
      // Like the old contacts page, people who left (inactive) are hidden unless asked for.
      const status = CONTACT_STATUSES.find((s) => s === c.req.query("status")) ?? "active";
      const active = status === "all" ? undefined : status === "active";
      const list = await listContacts(deps, { ...q.data, active, limit: 50 }, await scopeCompanyId(c, deps));
      return c.html(
        <ContactListPage
          p={pageCtx(c)}
          items={list.items}
          next={list.next_cursor}
          query={{ ...q.data, status }}
          notice={q.error}
        />,
      );
    },
  );
  r.add({ method: "get", path: "/contacts/new", access: "data", page: true, tag, summary: "New contact form" }, (c) =>
    c.html(
      <ContactFormPage
        p={pageCtx(c)}
        mode="new"
        values={{ companies: (c.req.query("company") ?? "").slice(0, 200) }}
        errors={{}}
      />,
    ),
  );
  r.add(
    { method: "post", path: "/contacts", access: "data", page: true, tag, summary: "Create a contact from the form" },
    async (c) => {
      const raw = await formFields(c);
      const input = contactInput(raw, false);
      const missing = !(input.companies as string[] | undefined)?.length
        ? { companies: "Give at least one company's account number." }
        : null;
      const result = missing
        ? ({ ok: false, errors: missing } as const)
        : await attempt(() => createContact(h, input, actorOf(c)));
      if (!result.ok)
        return c.html(<ContactFormPage p={pageCtx(c)} mode="new" values={raw} errors={byField(result.errors)} />, 422);
      return c.redirect(appUrl(c, `/contacts/${result.value.id}?notice=created`), 303);
    },
  );
  /** Adds or removes one asset↔contact link through updateAsset, so the audit log names both. */
  const linkContact = async (asset: Asset, contactId: number, op: "add" | "remove", c: Context<AppEnv>) => {
    const current = (await contactsOfAssets(h, [asset.id])).get(asset.id) ?? [];
    const next = op === "add" ? [...new Set([...current, contactId])] : current.filter((x) => x !== contactId);
    if (next.length !== current.length) await updateAsset(h, asset, { contact_ids: next }, actorOf(c));
  };
  const linkedAssets = (contactId: number) =>
    h.db
      .select({ id: h.t.assetContacts.assetId })
      .from(h.t.assetContacts)
      .where(eq(h.t.assetContacts.contactId, contactId));
  /** Assets a contact may be given: current ones of the contact's companies, not yet linked. */
  const assetCandidates = async (contact: Contact) => {
    const t = h.t.assets;
    return and(
      inArray(t.companyId, await contactCompanyIds(deps, contact.id)),
      isNull(t.staleSince),
      notInArray(t.id, linkedAssets(contact.id)),
    );
  };
  const contactPage = async (
    c: Context<AppEnv>,
    contact: Contact,
    errors: Record<string, string> = {},
    status: 200 | 422 = 200,
  ) => {
    const scope = await scopeCompanyId(c, deps);
    const companies = (await companiesOfContacts(h, [contact.id], scope)).get(contact.id) ?? [];
    const assets = await h.db
      .select({
        id: h.t.assets.id,
        hostname: h.t.assets.hostname,
        companyId: h.t.assets.companyId,
        staleSince: h.t.assets.staleSince,
      })
      .from(h.t.assets)
      .where(inArray(h.t.assets.id, linkedAssets(contact.id)))
      .orderBy(h.t.assets.hostname);
    const visible = assets
      .filter((a) => scope === null || a.companyId === scope)
      .map((a) => ({ id: a.id, hostname: a.hostname, stale_since: a.staleSince?.toISOString() ?? null }));
    let choices: LinkChoices | undefined;
    if (!isClient(c)) {
      const where = await assetCandidates(contact);
      const n = Number((await h.db.select({ n: count() }).from(h.t.assets).where(where))[0]?.n ?? 0);
      choices =
        n > MAX_CHOICES
          ? { tooMany: n }
          : {
              options: (
                await h.db
                  .select({ id: h.t.assets.id, hostname: h.t.assets.hostname })
                  .from(h.t.assets)
                  .where(where)
                  .orderBy(h.t.assets.hostname)
              ).map((a) => ({ id: a.id, label: a.hostname })),
            };
    }
    const notice =
      {
        created: "Contact added.",
        saved: "Changes saved.",
        assigned: "Asset assigned.",
        unassigned: "Asset unassigned.",
      }[c.req.query("notice") ?? ""] ?? null;
    const psa = isClient(c) ? null : await psaLinks(h);
    return c.html(
      <ContactDetailPage
        p={pageCtx(c)}
        contact={contactJson(contact, companies)}
        assets={visible}
        notice={notice}
        choices={choices}
        errors={errors}
        psa={psa}
      />,
      status,
    );
  };
  r.add(
    { method: "get", path: "/contacts/:id", access: "read", client: true, page: true, tag, summary: "A contact" },
    async (c) => {
      const contact = await requireContact(h, intParam(c, "id"));
      await assertVisibleAny(c, deps, await contactCompanyIds(deps, contact.id), "contact");
      return contactPage(c, contact);
    },
  );
  r.add(
    {
      method: "post",
      path: "/contacts/:id/assets",
      access: "data",
      page: true,
      tag,
      summary: "Assign an asset to a contact",
    },
    async (c) => {
      const contact = await requireContact(h, intParam(c, "id"));
      const raw = await formFields(c);
      const t = h.t.assets;
      const where = await assetCandidates(contact);
      const id = /^\d{1,9}$/.test(raw.asset_id ?? "") ? Number(raw.asset_id) : null;
      const hostname = raw.hostname?.trim();
      const found =
        id !== null || hostname
          ? await h.db
              .select()
              .from(t)
              .where(and(where, id !== null ? eq(t.id, id) : eq(t.hostname, hostname!)))
          : [];
      if (found.length !== 1) {
        const why =
          id === null && !hostname
            ? "Choose an asset."
            : found.length > 1
              ? `Several assets are called ${hostname}; assign it from the asset's page.`
              : "No such asset at this contact's companies, or it is already assigned.";
        return contactPage(c, contact, { asset: why }, 422);
      }
      await linkContact(found[0]!, contact.id, "add", c);
      return c.redirect(appUrl(c, `/contacts/${contact.id}?notice=assigned`), 303);
    },
  );
  r.add(
    {
      method: "post",
      path: "/contacts/:id/assets/:asset_id/remove",
      access: "data",
      page: true,
      tag,
      summary: "Unassign an asset from a contact",
    },
    async (c) => {
      const contact = await requireContact(h, intParam(c, "id"));
      const asset = await requireAsset(h, intParam(c, "asset_id"));
      await linkContact(asset, contact.id, "remove", c);
      return c.redirect(appUrl(c, `/contacts/${contact.id}?notice=unassigned`), 303);
    },
  );
  r.add(
    { method: "get", path: "/contacts/:id/edit", access: "data", page: true, tag, summary: "Edit contact form" },
    async (c) => {
      const contact = await requireContact(h, intParam(c, "id"));
      const json = contactJson(contact, (await companiesOfContacts(h, [contact.id])).get(contact.id) ?? []);
      const values: Record<string, string> = Object.fromEntries(
        CONTACT_FORM_FIELDS.map((f) => [
          f,
          f === "companies" ? json.companies.join(", ") : String((json as Record<string, unknown>)[f] ?? ""),
        ]),
      );
      values.active = json.active ? "on" : "";
      values.vip = json.vip ? "on" : "";
      return c.html(<ContactFormPage p={pageCtx(c)} mode="edit" id={contact.id} values={values} errors={{}} />);
    },
  );
  r.add(
    { method: "post", path: "/contacts/:id/edit", access: "data", page: true, tag, summary: "Save the contact form" },
    async (c) => {
      const contact = await requireContact(h, intParam(c, "id"));
      const raw = await formFields(c);
      const result = raw.name?.trim()
        ? await attempt(() => updateContact(h, contact, contactInput(raw, true), actorOf(c)))
        : ({ ok: false, errors: { name: "Required." } } as const);
      if (!result.ok)
        return c.html(
          <ContactFormPage
            p={pageCtx(c)}
            mode="edit"
            id={contact.id}
            values={{ ...raw, active: raw.active ?? "" }}
            errors={byField(result.errors)}
          />,
          422,
        );
      return c.redirect(appUrl(c, `/contacts/${contact.id}?notice=saved`), 303);
    },
  );

  r.add(
    { method: "get", path: "/assets", access: "read", client: true, page: true, tag, summary: "Assets list" },
    async (c) => {
      const q = pageQueryOf(c, assetListQuery);
      const list = await listAssets(deps, { ...q.data, limit: 50 }, await scopeCompanyId(c, deps));
      return c.html(
        <AssetListPage p={pageCtx(c)} items={list.items} next={list.next_cursor} query={q.data} notice={q.error} />,
      );
    },
  );
  /** Contacts an asset may be given: active contacts of its company, not yet linked. */
  const contactCandidates = (asset: Asset, contactIds: number[]) => {
    const t = h.t.contacts;
    return and(
      inArray(
        t.id,
        h.db
          .select({ id: h.t.contactCompanies.contactId })
          .from(h.t.contactCompanies)
          .where(eq(h.t.contactCompanies.companyId, asset.companyId)),
      ),
      eq(t.active, true),
      contactIds.length ? notInArray(t.id, contactIds) : undefined,
    );
  };
  const assetPage = async (
    c: Context<AppEnv>,
    asset: Asset,
    errors: Record<string, string> = {},
    status: 200 | 422 = 200,
  ) => {
    const contactIds = (await contactsOfAssets(h, [asset.id])).get(asset.id) ?? [];
    const contacts = contactIds.length
      ? await h.db
          .select({ id: h.t.contacts.id, name: h.t.contacts.name })
          .from(h.t.contacts)
          .where(inArray(h.t.contacts.id, contactIds))
          .orderBy(h.t.contacts.name)
      : [];
    const account = (await accountsOf(deps, [asset.companyId])).get(asset.companyId)!;
    let choices: LinkChoices | undefined;
    if (!isClient(c)) {
      const where = contactCandidates(asset, contactIds);
      const n = Number((await h.db.select({ n: count() }).from(h.t.contacts).where(where))[0]?.n ?? 0);
      choices =
        n > MAX_CHOICES
          ? { tooMany: n }
          : {
              options: (
                await h.db
                  .select({ id: h.t.contacts.id, name: h.t.contacts.name, email: h.t.contacts.email })
                  .from(h.t.contacts)
                  .where(where)
                  .orderBy(h.t.contacts.name)
              ).map((x) => ({ id: x.id, label: x.email ? `${x.name} (${x.email})` : x.name })),
            };
    }
    const notice =
      { assigned: "Contact assigned.", unassigned: "Contact unassigned." }[c.req.query("notice") ?? ""] ?? null;
    return c.html(
      <AssetDetailPage
        p={pageCtx(c)}
        asset={assetJson(asset, account, contactIds)}
        contacts={contacts}
        choices={choices}
        errors={errors}
        notice={notice}
      />,
      status,
    );
  };
  r.add(
    { method: "get", path: "/assets/:id", access: "read", client: true, page: true, tag, summary: "An asset" },
    async (c) => {
      const asset = await requireAsset(h, intParam(c, "id"));
      await assertVisible(c, deps, asset.companyId, "asset");
      return assetPage(c, asset);
    },
  );
  r.add(
    {
      method: "post",
      path: "/assets/:id/contacts",
      access: "data",
      page: true,
      tag,
      summary: "Assign a contact to an asset",
    },
    async (c) => {
      const asset = await requireAsset(h, intParam(c, "id"));
      const raw = await formFields(c);
      const current = (await contactsOfAssets(h, [asset.id])).get(asset.id) ?? [];
      const t = h.t.contacts;
      const id = /^\d{1,9}$/.test(raw.contact_id ?? "") ? Number(raw.contact_id) : null;
      const email = raw.email?.trim().toLowerCase();
      const found =
        id !== null || email
          ? await h.db
              .select({ id: t.id })
              .from(t)
              .where(and(contactCandidates(asset, current), id !== null ? eq(t.id, id) : eq(t.email, email!)))
          : [];
      if (found.length !== 1)
        return assetPage(
          c,
          asset,
          {
            contact:
              id === null && !email
                ? "Choose a contact."
                : "No active contact of this company with that, or already assigned.",
          },
          422,
        );
      await linkContact(asset, found[0]!.id, "add", c);
      return c.redirect(appUrl(c, `/assets/${asset.id}?notice=assigned`), 303);
    },
  );
  r.add(
    {
      method: "post",
      path: "/assets/:id/contacts/:contact_id/remove",
      access: "data",
      page: true,
      tag,
      summary: "Unassign a contact from an asset",
    },
    async (c) => {
      const asset = await requireAsset(h, intParam(c, "id"));
      const contact = await requireContact(h, intParam(c, "contact_id"));
      await linkContact(asset, contact.id, "remove", c);
      return c.redirect(appUrl(c, `/assets/${asset.id}?notice=unassigned`), 303);
    },
  );
}
