import {
  Alert,
  Badge,
  Button,
  Card,
  Cell,
  DescriptionList,
  EmptyState,
  Field,
  Form,
  FormActions,
  PageHeader,
  Pagination,
  Table,
  Toolbar,
  ToolbarGroup,
  type FieldErrors,
} from "@hivematrix/lib/ui";
import type { PermissionLevel } from "@hivematrix/lib/config";
import { usePage } from "@hivematrix/lib/page";
import type { UserView } from "./json.ts";

export const LEVEL_OPTIONS: { value: PermissionLevel; label: string }[] = [
  { value: "technician", label: "Technician (group technicians)" },
  { value: "billing", label: "Billing (group billing)" },
  { value: "admin", label: "Admin (group admins)" },
  { value: "client", label: "Client of one company (group client)" },
];

export const fullName = (user: UserView) => [user.first_name, user.last_name].filter(Boolean).join(" ");
export const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "—");

export function LevelBadge({ user }: { user: UserView }) {
  if (!user.level) return <Badge variant="warning">no HiveMatrix group</Badge>;
  return <Badge variant={user.level === "admin" ? "info" : "neutral"}>{user.level}</Badge>;
}

export function StatusBadges({ user }: { user: UserView }) {
  return (
    <>
      {user.enabled ? <Badge variant="success">enabled</Badge> : <Badge variant="danger">disabled</Badge>}
      {user.password_change_required && (
        <>
          {" "}
          <Badge variant="warning">new password at next sign-in</Badge>
        </>
      )}
    </>
  );
}

export interface UsersListProps {
  q: string;
  page: number;
  pageSize: number;
  users: UserView[];
  total: number;
  error?: string;
  queryError?: string;
}

export function UsersListPage({ q, page: current, pageSize, users, total, error, queryError }: UsersListProps) {
  const page = usePage();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const link = (n: number) => page.url(`/users?${new URLSearchParams({ ...(q ? { q } : {}), page: String(n) })}`);
  const from = total === 0 ? 0 : (current - 1) * pageSize + 1;
  return (
    <>
      <PageHeader
        title="Users"
        description={
          "Everyone who signs in to HiveMatrix, kept in the identity provider. A user's level is their group;" +
          " a client user also has their company's account number."
        }
        actions={<Button href={page.url("/users/new")} label="New user" variant="primary" />}
      />
      {error && (
        <Alert variant="error" title="The identity provider did not answer">
          {error}
        </Alert>
      )}
      <Toolbar label="Search users" action={page.url("/users")}>
        <ToolbarGroup grow>
          <Field
            name="q"
            label="Search"
            type="search"
            value={q}
            error={queryError}
            placeholder="Username, email, first or last name"
          />
        </ToolbarGroup>
        <ToolbarGroup>
          <Button label="Search" />
          {q && <Button href={page.url("/users")} label="Clear" variant="ghost" />}
        </ToolbarGroup>
      </Toolbar>
      <Card>
        {users.length === 0 ? (
          <EmptyState
            title={q ? `No user matches “${q}”` : "No users yet"}
            message={q ? "Each word matches the start of a username, email, first or last name." : undefined}
          />
        ) : (
          <Table
            columns={[
              { label: "Username" },
              { label: "Name" },
              { label: "Email" },
              { label: "Level" },
              { label: "Company" },
              { label: "Status" },
              { label: "Created" },
            ]}
          >
            {users.map((user) => (
              <tr>
                <Cell>
                  <a href={page.url(`/users/${user.id}`)}>{user.username}</a>
                </Cell>
                <Cell>{fullName(user) || "—"}</Cell>
                <Cell>{user.email ?? "—"}</Cell>
                <Cell>
                  <LevelBadge user={user} />
                </Cell>
                <Cell>{user.company ?? "—"}</Cell>
                <Cell>
                  <StatusBadges user={user} />
                </Cell>
                <Cell>{day(user.created_at)}</Cell>
              </tr>
            ))}
          </Table>
        )}
        <Pagination
          prevHref={current > 1 ? link(current - 1) : null}
          nextHref={current < pages ? link(current + 1) : null}
          info={total ? `${from}–${from + users.length - 1} of ${total}` : "0 users"}
        />
      </Card>
    </>
  );
}

export interface NewUserProps {
  values: Record<string, string>;
  errors: FieldErrors;
  error?: string;
}

export function NewUserPage({ values, errors, error }: NewUserProps) {
  const page = usePage();
  return (
    <>
      <PageHeader
        title="New user"
        description="Helm generates the first password and shows it once; give it to the person."
        actions={<Button href={page.url("/users")} label="Back to users" />}
      />
      {error && (
        <Alert variant="error" title="The user was not created">
          {error}
        </Alert>
      )}
      <Card>
        <Form action={page.url("/users")} csrf={page.csrf} wide label="New user">
          <Field
            name="username"
            label="Username"
            value={values.username}
            error={errors.username}
            required
            autocomplete="off"
            hint="Lower case; letters, digits and . _ - @."
          />
          <Field
            name="email"
            label="Email"
            type="email"
            value={values.email}
            error={errors.email}
            required
            autocomplete="off"
          />
          <Field
            name="first_name"
            label="First name"
            value={values.first_name}
            error={errors.first_name}
            autocomplete="off"
          />
          <Field
            name="last_name"
            label="Last name"
            value={values.last_name}
            error={errors.last_name}
            autocomplete="off"
          />
          <Field
            name="level"
            label="Level"
            type="select"
            value={values.level ?? "technician"}
            error={errors.level}
            options={LEVEL_OPTIONS}
            required
          />
          <Field
            name="company"
            label="Company account number"
            value={values.company}
            error={errors.company}
            hint="Client users only: the company in Codex whose data they see (e.g. ACME-001)."
          />
          <Field
            name="temporary"
            label="Ask for a new password at the first sign-in"
            type="checkbox"
            value={values.temporary !== "off"}
            error={errors.temporary}
          />
          <FormActions>
            <Button label="Create user" variant="primary" />
            <Button href={page.url("/users")} label="Cancel" variant="ghost" />
          </FormActions>
        </Form>
      </Card>
    </>
  );
}

/** The one time a generated password is shown (after creating a user or resetting a password). */
export function PasswordShownPage({
  user,
  password,
  temporary,
  created,
  sessionsEnded = 0,
}: {
  user: UserView;
  password: string;
  temporary: boolean;
  created: boolean;
  sessionsEnded?: number;
}) {
  const page = usePage();
  const title = created ? `Created ${user.username}` : `New password for ${user.username}`;
  return (
    <>
      <PageHeader title={title} actions={<Button href={page.url(`/users/${user.id}`)} label="Open the user" />} />
      <Alert variant="warning" title="Copy the password now: it is shown only this once">
        Helm does not store it.{" "}
        {temporary ? `${user.username} chooses their own at the first sign-in.` : "It stays until someone changes it."}
        {sessionsEnded > 0 && ` ${sessionsEnded} HiveMatrix session${sessionsEnded === 1 ? " was" : "s were"} ended.`}
      </Alert>
      <Card title="Sign-in details">
        <DescriptionList
          label="Sign-in details"
          items={[
            { term: "Username", detail: <code>{user.username}</code> },
            {
              term: temporary ? "Temporary password" : "Password",
              detail: <code id="shown-password">{password}</code>,
            },
            { term: "Level", detail: <LevelBadge user={user} /> },
            { term: "Company", detail: user.company },
          ]}
        />
      </Card>
      <p>
        <a href={page.url("/users")}>Back to users</a>
      </p>
    </>
  );
}
