import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { fieldErrors, formFields } from "@hivematrix/lib/validate";
import { PAGES } from "../access.ts";
import { requireAsset } from "../assets/data.ts";
import { assetCandidatesNamed, assetChoices, assetsOfContact, linkContact } from "../assets/data-links.ts";
import type { Contact } from "../db/schema.ts";
import type { Deps } from "../deps.ts";
import { psaLinks } from "../integrations/psa-links.ts";
import { assertVisibleAny, scopeCompanyId } from "../shared/client-scope.ts";
import { attempt, byField, formToInput, formValuesOf, pageNotice, pageQueryOf } from "../shared/forms.ts";
import { actorOf, intParam, isClient } from "../shared/request.ts";
import { companiesOfContacts, createContact, requireContact, updateContact } from "./data.ts";
import { contactCompanyIds, listContacts } from "./data-lists.ts";
import { CONTACT_FORM, CONTACT_STATUSES, contactCreate, contactJson, contactListQuery, contactUpdate } from "./json.ts";
import { ContactFormPage, ContactListPage } from "./views.tsx";
import { ContactDetailPage } from "./views-detail.tsx";

const NOTICES: Record<string, string> = {
  created: "Contact added.",
  saved: "Changes saved.",
  assigned: "Asset assigned.",
  unassigned: "Asset unassigned.",
};
const section = "contacts";
const formError = { variant: "error" as const, text: "Check the fields marked below." };

export function contactsPages(routes: RouteTable, deps: Deps) {
  const { db } = deps;
  const contactUrl = (c: Context<AppEnv>, id: number, notice: string) =>
    c.get("page")!.url(`/contacts/${id}?notice=${notice}`);

  /** A contact's page; a failed assign form comes back to it with its error. */
  const detail = async (c: Context<AppEnv>, contact: Contact, errors: Record<string, string> = {}) => {
    const scope = await scopeCompanyId(c, deps);
    const companies = (await companiesOfContacts(db, [contact.id], scope)).get(contact.id) ?? [];
    return c.render(
      <ContactDetailPage
        contact={contactJson(contact, companies)}
        assets={await assetsOfContact(db, contact.id, scope)}
        choices={isClient(c) ? undefined : await assetChoices(db, contact)}
        errors={errors}
        psa={isClient(c) ? null : await psaLinks(db)}
      />,
      {
        title: contact.name,
        section,
        notice: pageNotice(c, NOTICES, errors),
      },
    );
  };

  routes.page(pageRoute({ method: "get", path: "/contacts", access: PAGES.readWithClientScope }), async (c) => {
    const query = pageQueryOf(c, contactListQuery);
    // Like the old contacts page, people who left (inactive) are hidden unless asked for.
    const status = CONTACT_STATUSES.find((value) => value === c.req.query("status")) ?? "active";
    const active = status === "all" ? undefined : status === "active";
    const list = await listContacts(db, { ...query.data, active, limit: 50 }, await scopeCompanyId(c, deps));
    return c.render(<ContactListPage items={list.items} next={list.next_cursor} query={{ ...query.data, status }} />, {
      title: "Contacts",
      section,
      notice: query.error ? { variant: "info", text: query.error } : null,
    });
  });

  routes.page(pageRoute({ method: "get", path: "/contacts/new", access: PAGES.data }), (c) =>
    c.render(
      <ContactFormPage
        mode="new"
        values={{ active: "on", email_notifications: "on", companies: (c.req.query("company") ?? "").slice(0, 200) }}
        errors={{}}
      />,
      { title: "New contact", section },
    ),
  );

  routes.page(pageRoute({ method: "post", path: "/contacts", access: PAGES.data }), async (c) => {
    const raw = await formFields(c);
    const input = formToInput(raw, CONTACT_FORM);
    const parsed = contactCreate.safeParse(input);
    const result = !(input.companies as string[] | undefined)?.length
      ? ({ ok: false, errors: { companies: "Give at least one company's account number." } } as const)
      : parsed.success
        ? await attempt(() => createContact(db, parsed.data, actorOf(c)))
        : ({ ok: false, errors: fieldErrors(parsed.error) } as const);
    if (result.ok) return c.redirect(contactUrl(c, result.value.id, "created"), 303);
    c.status(422);
    // A new contact is active, and gets ticket emails, unless the form said otherwise.
    return c.render(
      <ContactFormPage
        mode="new"
        values={{ active: "on", email_notifications: "on", ...raw }}
        errors={byField(result.errors)}
      />,
      {
        title: "New contact",
        section,
        notice: formError,
      },
    );
  });

  routes.page(pageRoute({ method: "get", path: "/contacts/{id}", access: PAGES.readWithClientScope }), async (c) => {
    const contact = await requireContact(db, intParam(c, "id"));
    await assertVisibleAny(c, deps, await contactCompanyIds(db, contact.id), "contact");
    return detail(c, contact);
  });

  routes.page(pageRoute({ method: "post", path: "/contacts/{id}/assets", access: PAGES.data }), async (c) => {
    const contact = await requireContact(db, intParam(c, "id"));
    const raw = await formFields(c);
    const id = /^\d{1,9}$/.test(raw.asset_id ?? "") ? Number(raw.asset_id) : null;
    const hostname = raw.hostname?.trim();
    const found =
      id !== null || hostname
        ? await assetCandidatesNamed(db, contact, id !== null ? { id } : { hostname: hostname! })
        : [];
    if (found.length !== 1) {
      const why =
        id === null && !hostname
          ? "Choose an asset."
          : found.length > 1
            ? `Several assets are called ${hostname}; assign it from the asset's page.`
            : "No such asset at this contact's companies, or it is already assigned.";
      c.status(422);
      return detail(c, contact, { asset: why });
    }
    await linkContact(db, found[0]!, contact.id, "add", actorOf(c));
    return c.redirect(contactUrl(c, contact.id, "assigned"), 303);
  });

  routes.page(
    pageRoute({ method: "post", path: "/contacts/{id}/assets/{asset_id}/remove", access: PAGES.data }),
    async (c) => {
      const contact = await requireContact(db, intParam(c, "id"));
      const asset = await requireAsset(db, intParam(c, "asset_id"));
      await linkContact(db, asset, contact.id, "remove", actorOf(c));
      return c.redirect(contactUrl(c, contact.id, "unassigned"), 303);
    },
  );

  routes.page(pageRoute({ method: "get", path: "/contacts/{id}/edit", access: PAGES.data }), async (c) => {
    const contact = await requireContact(db, intParam(c, "id"));
    const companies = (await companiesOfContacts(db, [contact.id])).get(contact.id) ?? [];
    const values = formValuesOf(contactJson(contact, companies), CONTACT_FORM);
    return c.render(<ContactFormPage mode="edit" id={contact.id} values={values} errors={{}} />, {
      title: `Edit ${contact.name}`,
      section,
    });
  });

  routes.page(pageRoute({ method: "post", path: "/contacts/{id}/edit", access: PAGES.data }), async (c) => {
    const contact = await requireContact(db, intParam(c, "id"));
    const raw = await formFields(c);
    const parsed = contactUpdate.safeParse(formToInput(raw, CONTACT_FORM, { keepEmpty: true }));
    const result = !raw.name?.trim()
      ? ({ ok: false, errors: { name: "Required." } } as const)
      : parsed.success
        ? await attempt(() => updateContact(db, contact, parsed.data, actorOf(c)))
        : ({ ok: false, errors: fieldErrors(parsed.error) } as const);
    if (result.ok) return c.redirect(contactUrl(c, contact.id, "saved"), 303);
    c.status(422);
    const values = {
      ...raw,
      active: raw.active ?? "",
      vip: raw.vip ?? "",
      email_notifications: raw.email_notifications ?? "",
    };
    return c.render(<ContactFormPage mode="edit" id={contact.id} values={values} errors={byField(result.errors)} />, {
      title: `Edit ${raw.name ?? contact.name}`,
      section,
      notice: formError,
    });
  });
}
