import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { formFields } from "@hivematrix/lib/validate";
import { PAGES } from "../../access.ts";
import type { Deps } from "../../deps.ts";
import { qs } from "../../shared/format.ts";
import { attempt } from "../../shared/forms.ts";
import { actorOf, intParam } from "../../shared/request.ts";
import { featureChoices, firstIssues } from "../form-values.ts";
import { RATE_INPUTS } from "../rates.ts";
import { renderBillingPage } from "../render.ts";
import { createPlan, deletePlan, listPlans, planJsonOf, requirePlan, updatePlan } from "./data.ts";
import { createCategory, createOption, featureCatalog, setFeatures } from "./data-features.ts";
import { importPlans } from "./data-import.ts";
import { copyTerms } from "./data-transfer.ts";
import { categoryCreateSchema, optionCreateSchema } from "./json-features.ts";
import { type ImportProblem, planFormValues, planInput, readPlansFile } from "./forms.ts";
import { PlansPage } from "./views.tsx";
import { PlanFormPage } from "./views-form.tsx";

/** The plans page with the feature catalog and plan import, and the plan form. */
export function plansPages(routes: RouteTable, deps: Deps) {
  const { db } = deps;
  const url = (c: Context<AppEnv>, path: string) => c.get("page")!.url(path);
  const page = (method: "get" | "post", path: string, access = PAGES.billing) => pageRoute({ method, path, access });

  const plansPage = async (
    c: Context<AppEnv>,
    errors: Record<string, string> = {},
    values: Record<string, string> = {},
    importProblems: ImportProblem[] = [],
  ) => {
    const summary = c.req.query("summary") ?? "";
    const done = {
      created: "Plan created.",
      saved: "Plan saved.",
      deleted: "Plan deleted.",
      feature: "Feature added.",
      imported: `Imported: ${summary}`,
      copied: `Rates copied: ${summary}`,
    }[c.req.query("notice") ?? ""];
    return renderBillingPage(
      c,
      <PlansPage
        plans={await listPlans(db)}
        catalog={await featureCatalog(db)}
        errors={errors}
        values={values}
        importProblems={importProblems}
      />,
      { title: "Billing plans", done, errors },
    );
  };

  const formPage = async (
    c: Context<AppEnv>,
    id: number | null,
    values: Record<string, string>,
    errors: Record<string, string>,
  ) => {
    return renderBillingPage(
      c,
      <PlanFormPage id={id} values={values} errors={errors} catalog={await featureCatalog(db)} />,
      {
        title: id ? `Edit ${values.name ?? "plan"}` : "New billing plan",
        errors,
        failed: "Check the fields marked below.",
      },
    );
  };

  const save = async (c: Context<AppEnv>, id: number | null) => {
    const raw = await formFields(c);
    const { input, errors } = planInput(raw);
    if (Object.keys(errors).length) return formPage(c, id, raw, errors);
    const features = featureChoices(raw);
    const result = await attempt(async () => {
      const plan = id
        ? await updatePlan(db, await requirePlan(db, id), input, actorOf(c))
        : await createPlan(db, input, actorOf(c));
      if (Object.keys(features).length) await setFeatures(db, { planId: plan.id }, features, actorOf(c));
      return plan;
    });
    if (!result.ok) return formPage(c, id, raw, result.errors);
    return c.redirect(url(c, `/billing/plans?notice=${id ? "saved" : "created"}`), 303);
  };

  routes.page(page("get", "/billing/plans", PAGES.staff), (c) => plansPage(c));

  // Before /billing/plans/{id}, which would take "import" for an id.
  routes.page(page("post", "/billing/plans/import", PAGES.admin), async (c) => {
    const read = await readPlansFile((await c.req.parseBody()).file);
    if (!read.ok) return plansPage(c, { file: read.error }, {}, read.problems);
    const result = await attempt(() => importPlans(db, read.file, actorOf(c)));
    if (!result.ok) {
      const problems = Object.entries(result.errors).map(([field, message]) => ({ field, message }));
      return plansPage(c, { file: "The file has problems; nothing was imported." }, {}, problems);
    }
    const { plans, categories, options } = result.value;
    const summary =
      `${plans.created} plans created, ${plans.updated} updated, ${plans.unchanged} unchanged; ` +
      `${categories.created + options.created} feature entries added, ` +
      `${categories.updated + options.updated} updated.`;
    return c.redirect(url(c, `/billing/plans${qs({ notice: "imported", summary })}`), 303);
  });

  routes.page(page("post", "/billing/plans/{id}/copy-terms"), async (c) => {
    const plan = await requirePlan(db, intParam(c, "id"));
    const raw = await formFields(c);
    const copied = await copyTerms(db, plan, raw.create_missing === "on", actorOf(c));
    const summary =
      `${copied.updated.length} terms updated, ${copied.created.length} added, ` +
      `${copied.unchanged.length} already the same.`;
    return c.redirect(url(c, `/billing/plans${qs({ notice: "copied", summary })}`), 303);
  });

  routes.page(page("get", "/billing/plans/new"), (c) =>
    formPage(
      c,
      null,
      Object.fromEntries([
        ["term", "month_to_month"],
        ...RATE_INPUTS.map(([name, , kind]) => [name, kind === "money" ? "0.00" : "0"]),
      ]),
      {},
    ),
  );

  routes.page(page("post", "/billing/plans"), (c) => save(c, null));

  routes.page(page("get", "/billing/plans/{id}"), async (c) =>
    formPage(c, intParam(c, "id"), planFormValues(await planJsonOf(db, intParam(c, "id"))), {}),
  );

  routes.page(page("post", "/billing/plans/{id}"), (c) => save(c, intParam(c, "id")));

  routes.page(page("post", "/billing/plans/{id}/delete"), async (c) => {
    const plan = await requirePlan(db, intParam(c, "id"));
    const result = await attempt(async () => deletePlan(db, plan, actorOf(c)));
    if (!result.ok) return plansPage(c, { plan: "This plan is in use." });
    return c.redirect(url(c, "/billing/plans?notice=deleted"), 303);
  });

  routes.page(page("post", "/billing/features/categories"), async (c) => {
    const raw = await formFields(c);
    const parsed = categoryCreateSchema.safeParse({ key: raw.key, name: raw.name });
    if (!parsed.success) return plansPage(c, firstIssues(parsed.error), raw);
    const result = await attempt(() => createCategory(db, parsed.data, actorOf(c)));
    if (!result.ok) return plansPage(c, result.errors, raw);
    return c.redirect(url(c, "/billing/plans?notice=feature"), 303);
  });

  routes.page(page("post", "/billing/features/options"), async (c) => {
    const raw = await formFields(c);
    const parsed = optionCreateSchema.safeParse({
      category: raw.category,
      value: raw.value,
      ...(raw.display_name ? { display_name: raw.display_name } : {}),
    });
    if (!parsed.success) return plansPage(c, firstIssues(parsed.error), raw);
    const result = await attempt(() => createOption(db, parsed.data, actorOf(c)));
    if (!result.ok) return plansPage(c, result.errors, raw);
    return c.redirect(url(c, "/billing/plans?notice=feature"), 303);
  });
}
