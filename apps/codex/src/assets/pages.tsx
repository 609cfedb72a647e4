import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { formFields } from "@hivematrix/lib/validate";
import { PAGES } from "../access.ts";
import { requireContact } from "../contacts/data.ts";
import type { Asset } from "../db/schema.ts";
import type { Deps } from "../deps.ts";
import { assertVisible, scopeCompanyId } from "../shared/client-scope.ts";
import { pageNotice, pageQueryOf } from "../shared/forms.ts";
import { actorOf, intParam, isClient } from "../shared/request.ts";
import { contactsOfAssets, requireAsset } from "./data.ts";
import { contactCandidatesNamed, contactChoices, contactNames, linkContact } from "./data-links.ts";
import { assetJsonOf, listAssets } from "./data-lists.ts";
import { assetListQuery } from "./json.ts";
import { AssetDetailPage, AssetListPage } from "./views.tsx";

const NOTICES: Record<string, string> = { assigned: "Contact assigned.", unassigned: "Contact unassigned." };
const section = "assets";

export function assetsPages(routes: RouteTable, deps: Deps) {
  const { db } = deps;
  const assetUrl = (c: Context<AppEnv>, id: number, notice: string) =>
    c.get("page")!.url(`/assets/${id}?notice=${notice}`);

  /** An asset's page; a failed assign form comes back to it with its error. */
  const detail = async (c: Context<AppEnv>, asset: Asset, errors: Record<string, string> = {}) => {
    const contactIds = (await contactsOfAssets(db, [asset.id])).get(asset.id) ?? [];
    return c.render(
      <AssetDetailPage
        asset={await assetJsonOf(db, asset)}
        contacts={await contactNames(db, contactIds)}
        choices={isClient(c) ? undefined : await contactChoices(db, asset, contactIds)}
        errors={errors}
      />,
      {
        title: asset.hostname,
        section,
        notice: pageNotice(c, NOTICES, errors),
      },
    );
  };

  routes.page(pageRoute({ method: "get", path: "/assets", access: PAGES.readWithClientScope }), async (c) => {
    const query = pageQueryOf(c, assetListQuery);
    const list = await listAssets(db, { ...query.data, limit: 50 }, await scopeCompanyId(c, deps));
    return c.render(<AssetListPage items={list.items} next={list.next_cursor} query={query.data} />, {
      title: "Assets",
      section,
      notice: query.error ? { variant: "info", text: query.error } : null,
    });
  });

  routes.page(pageRoute({ method: "get", path: "/assets/{id}", access: PAGES.readWithClientScope }), async (c) => {
    const asset = await requireAsset(db, intParam(c, "id"));
    await assertVisible(c, deps, asset.companyId, "asset");
    return detail(c, asset);
  });

  routes.page(pageRoute({ method: "post", path: "/assets/{id}/contacts", access: PAGES.data }), async (c) => {
    const asset = await requireAsset(db, intParam(c, "id"));
    const raw = await formFields(c);
    const linked = (await contactsOfAssets(db, [asset.id])).get(asset.id) ?? [];
    const id = /^\d{1,9}$/.test(raw.contact_id ?? "") ? Number(raw.contact_id) : null;
    const email = raw.email?.trim().toLowerCase();
    const found =
      id !== null || email
        ? await contactCandidatesNamed(db, asset, linked, id !== null ? { id } : { email: email! })
        : [];
    if (found.length !== 1) {
      const why =
        id === null && !email
          ? "Choose a contact."
          : "No active contact of this company with that, or already assigned.";
      c.status(422);
      return detail(c, asset, { contact: why });
    }
    await linkContact(db, asset, found[0]!.id, "add", actorOf(c));
    return c.redirect(assetUrl(c, asset.id, "assigned"), 303);
  });

  routes.page(
    pageRoute({ method: "post", path: "/assets/{id}/contacts/{contact_id}/remove", access: PAGES.data }),
    async (c) => {
      const asset = await requireAsset(db, intParam(c, "id"));
      const contact = await requireContact(db, intParam(c, "contact_id"));
      await linkContact(db, asset, contact.id, "remove", actorOf(c));
      return c.redirect(assetUrl(c, asset.id, "unassigned"), 303);
    },
  );
}
