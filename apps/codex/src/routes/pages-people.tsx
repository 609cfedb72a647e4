import { eq, inArray } from "drizzle-orm";
import { appUrl } from "@hivematrix/lib/app";
import type { CodexDeps } from "../context.ts";
import { companiesOfContacts, contactJson, createContact, requireContact, updateContact } from "../data/contacts.ts";
import { assetJson, contactsOfAssets, requireAsset } from "../data/assets.ts";
import { contactListQuery, contactCompanyIds, listContacts } from "./api-contacts.ts";
import { accountsOf, assetListQuery, listAssets } from "./api-assets.ts";
import { AssetDetailPage, AssetListPage, CONTACT_FORM_FIELDS, ContactDetailPage, ContactFormPage, ContactListPage } from "../views/people.tsx";
import { pageCtx } from "../views/shell.tsx";
import type { RouteTable } from "./registry.ts";
import { actorOf, assertVisible, assertVisibleAny, intParam, scopeCompanyId } from "./scope.ts";
import { attempt, formInput, formRaw, pageQueryOf } from "./page-helpers.ts";

/** Form fields → the API's contact input (companies as a comma list, checkboxes as booleans). */
function contactInput(raw: Record<string, string>, keepEmpty: boolean) {
  const input: Record<string, unknown> = formInput(raw, CONTACT_FORM_FIELDS.filter((f) => f !== "companies"), { keepEmpty });
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

/** Errors on `companies.0` and the like belong next to the companies field. */
const byField = (errors: Record<string, string>) => Object.fromEntries(Object.entries(errors).map(([k, v]) => [k.split(".")[0]!, v]));

export function peoplePages(r: RouteTable, deps: CodexDeps) {
  const h = deps.db;
  const tag = "Pages";

  r.add({ method: "get", path: "/contacts", access: "read", client: true, page: true, tag, summary: "Contacts list" }, async (c) => {
    const q = pageQueryOf(c, contactListQuery);
    const list = await listContacts(deps, { ...q.data, limit: 50 }, await scopeCompanyId(c, deps));
    return c.html(<ContactListPage p={pageCtx(c, deps)} items={list.items} next={list.next_cursor} query={q.data} notice={q.error} />);
  });
  r.add({ method: "get", path: "/contacts/new", access: "data", page: true, tag, summary: "New contact form" }, (c) =>
    c.html(<ContactFormPage p={pageCtx(c, deps)} mode="new" values={{ companies: (c.req.query("company") ?? "").slice(0, 200) }} errors={{}} />),
  );
  r.add({ method: "post", path: "/contacts", access: "data", page: true, tag, summary: "Create a contact from the form" }, async (c) => {
    const raw = await formRaw(c);
    const input = contactInput(raw, false);
    const missing = !(input.companies as string[] | undefined)?.length ? { companies: "Give at least one company's account number." } : null;
    const result = missing ? ({ ok: false, errors: missing } as const) : await attempt(() => createContact(h, input, actorOf(c)));
    if (!result.ok) return c.html(<ContactFormPage p={pageCtx(c, deps)} mode="new" values={raw} errors={byField(result.errors)} />, 422);
    return c.redirect(appUrl(c, `/contacts/${result.value.id}?notice=created`), 303);
  });
  r.add({ method: "get", path: "/contacts/:id", access: "read", client: true, page: true, tag, summary: "A contact" }, async (c) => {
    const contact = await requireContact(h, intParam(c, "id"));
    await assertVisibleAny(c, deps, await contactCompanyIds(deps, contact.id), "contact");
    const scope = await scopeCompanyId(c, deps);
    const companies = (await companiesOfContacts(h, [contact.id], scope)).get(contact.id) ?? [];
    const assets = await h.db
      .select({ id: h.t.assets.id, hostname: h.t.assets.hostname, companyId: h.t.assets.companyId })
      .from(h.t.assets)
      .where(inArray(h.t.assets.id, h.db.select({ id: h.t.assetContacts.assetId }).from(h.t.assetContacts).where(eq(h.t.assetContacts.contactId, contact.id))));
    const visible = assets.filter((a) => scope === null || a.companyId === scope);
    const notice = { created: "Contact added.", saved: "Changes saved." }[c.req.query("notice") ?? ""] ?? null;
    return c.html(<ContactDetailPage p={pageCtx(c, deps)} contact={contactJson(contact, companies)} assets={visible} notice={notice} />);
  });
  r.add({ method: "get", path: "/contacts/:id/edit", access: "data", page: true, tag, summary: "Edit contact form" }, async (c) => {
    const contact = await requireContact(h, intParam(c, "id"));
    const json = contactJson(contact, (await companiesOfContacts(h, [contact.id])).get(contact.id) ?? []);
    const values: Record<string, string> = Object.fromEntries(CONTACT_FORM_FIELDS.map((f) => [f, f === "companies" ? json.companies.join(", ") : String((json as Record<string, unknown>)[f] ?? "")]));
    values.active = json.active ? "on" : "";
    values.vip = json.vip ? "on" : "";
    return c.html(<ContactFormPage p={pageCtx(c, deps)} mode="edit" id={contact.id} values={values} errors={{}} />);
  });
  r.add({ method: "post", path: "/contacts/:id/edit", access: "data", page: true, tag, summary: "Save the contact form" }, async (c) => {
    const contact = await requireContact(h, intParam(c, "id"));
    const raw = await formRaw(c);
    const result = raw.name?.trim() ? await attempt(() => updateContact(h, contact, contactInput(raw, true), actorOf(c))) : ({ ok: false, errors: { name: "Required." } } as const);
    if (!result.ok) return c.html(<ContactFormPage p={pageCtx(c, deps)} mode="edit" id={contact.id} values={{ ...raw, active: raw.active ?? "" }} errors={byField(result.errors)} />, 422);
    return c.redirect(appUrl(c, `/contacts/${contact.id}?notice=saved`), 303);
  });

  r.add({ method: "get", path: "/assets", access: "read", client: true, page: true, tag, summary: "Assets list" }, async (c) => {
    const q = pageQueryOf(c, assetListQuery);
    const list = await listAssets(deps, { ...q.data, limit: 50 }, await scopeCompanyId(c, deps));
    return c.html(<AssetListPage p={pageCtx(c, deps)} items={list.items} next={list.next_cursor} query={q.data} notice={q.error} />);
  });
  r.add({ method: "get", path: "/assets/:id", access: "read", client: true, page: true, tag, summary: "An asset" }, async (c) => {
    const asset = await requireAsset(h, intParam(c, "id"));
    await assertVisible(c, deps, asset.companyId, "asset");
    const contactIds = (await contactsOfAssets(h, [asset.id])).get(asset.id) ?? [];
    const contacts = contactIds.length ? await h.db.select({ id: h.t.contacts.id, name: h.t.contacts.name }).from(h.t.contacts).where(inArray(h.t.contacts.id, contactIds)) : [];
    const account = (await accountsOf(deps, [asset.companyId])).get(asset.companyId)!;
    return c.html(<AssetDetailPage p={pageCtx(c, deps)} asset={assetJson(asset, account, contactIds)} contacts={contacts} />);
  });
}
