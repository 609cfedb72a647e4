import { usePage } from "@hivematrix/lib/page";
import {
  Badge,
  Button,
  Card,
  Cell,
  EmptyState,
  Field,
  type FieldErrors,
  Form,
  FormActions,
  PageHeader,
  Table,
} from "@hivematrix/lib/ui";
import { HOME_PAGES, THEMES } from "../db/schema.ts";
import { when } from "../shared/format.ts";
import type { AgentJson } from "./json.ts";

const AGENTS_TEXT =
  "HiveMatrix staff and PSA agents. People and their groups are managed in the identity provider; " +
  "Keycloak sync keeps this list current.";

export function AgentsPage({ agents }: { agents: AgentJson[] }) {
  const page = usePage();
  return (
    <>
      <PageHeader
        title="Agents"
        description={AGENTS_TEXT}
        actions={
          page.level === "admin" && (
            <>
              <Button href="/helm/users" label="Manage users in Helm" />
              <Button href={page.url("/admin/integrations")} label="Sync settings" />
            </>
          )
        }
      />
      <Card>
        {agents.length === 0 ? (
          <EmptyState
            title="No agents yet"
            message="Run the Keycloak agent sync, or they appear as people save their settings."
          />
        ) : (
          <Table
            columns={[
              { label: "Name" },
              { label: "Username" },
              { label: "Email" },
              { label: "Status" },
              { label: "Theme" },
              { label: "Home page" },
              { label: "Source" },
              { label: "Last synced" },
            ]}
          >
            {agents.map((agent) => (
              <tr>
                <Cell>{agent.name}</Cell>
                <Cell>{agent.username ?? "—"}</Cell>
                <Cell>{agent.email}</Cell>
                <Cell>{agent.enabled ? <Badge variant="success">enabled</Badge> : <Badge>disabled</Badge>}</Cell>
                <Cell>{agent.theme}</Cell>
                <Cell>{agent.home_page}</Cell>
                <Cell>{agent.external_source ?? "HiveMatrix"}</Cell>
                <Cell>{when(agent.last_synced_at)}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}

const PREFERENCES = [
  {
    name: "theme",
    label: "Theme",
    options: THEMES.map((theme) => ({ value: theme, label: theme === "system" ? "Same as my device" : theme })),
  },
  {
    name: "home_page",
    label: "Home page",
    options: HOME_PAGES.map((home) => ({ value: home, label: home[0]!.toUpperCase() + home.slice(1) })),
  },
  {
    name: "email_notifications",
    label: "Ticket emails",
    options: [
      { value: "on", label: "Email me when a ticket is assigned to me or its client replies" },
      { value: "off", label: "No ticket emails" },
    ],
  },
] as const;

export function SettingsPage({
  values,
  errors,
}: {
  values: { theme: string; home_page: string; email_notifications: string };
  errors: FieldErrors;
}) {
  const page = usePage();
  return (
    <>
      <PageHeader
        title="My settings"
        description="How HiveMatrix looks for you, where it opens, and whether it emails you about tickets."
      />
      <Card>
        <Form action={page.url("/settings")} csrf={page.csrf} label="My settings">
          {PREFERENCES.map(({ name, label, options }) => (
            <Field
              name={name}
              label={label}
              type="select"
              value={values[name]}
              error={errors[name]}
              options={[...options]}
            />
          ))}
          <FormActions>
            <Button label="Save" variant="primary" />
          </FormActions>
        </Form>
      </Card>
    </>
  );
}
