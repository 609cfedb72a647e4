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
  Modal,
  PageHeader,
  Pagination,
  Table,
  Toolbar,
  ToolbarGroup,
  type FieldErrors,
} from "@hivematrix/lib/ui";
import type { PermissionLevel } from "@hivematrix/lib/config";
import type { UserView } from "../users/directory.ts";
import { HelmPage, type PageContext } from "./shell.tsx";

const LEVEL_OPTIONS: { value: PermissionLevel; label: string }[] = [
  { value: "technician", label: "Technician (group technicians)" },
  { value: "billing", label: "Billing (group billing)" },
  { value: "admin", label: "Admin (group admins)" },
  { value: "client", label: "Client of one company (group client)" },
];

const fullName = (u: UserView) => [u.first_name, u.last_name].filter(Boolean).join(" ");
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "—");

function LevelBadge({ user }: { user: UserView }) {
  if (!user.level) return <Badge variant="warning">no HiveMatrix group</Badge>;
  return <Badge variant={user.level === "admin" ? "info" : "neutral"}>{user.level}</Badge>;
}

function StatusBadges({ user }: { user: UserView }) {
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
  ctx: PageContext;
  q: string;
  page: number;
  pageSize: number;
  users: UserView[];
  total: number;
  notice?: string;
  error?: string;
  queryError?: string;
}

export function UsersListPage({ ctx, q, page, pageSize, users, total, notice, error, queryError }: UsersListProps) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const link = (p: number) => `${ctx.prefix}/users?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`;
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  return (
    <HelmPage title="Users" section="users" ctx={ctx}>
      <PageHeader
        title="Users"
        description="Everyone who signs in to HiveMatrix, kept in the identity provider. A user's level is their group; a client user also has their company's account number."
        actions={<Button href={`${ctx.prefix}/users/new`} label="New user" variant="primary" />}
      />
      {notice && <Alert variant="success">{notice}</Alert>}
      {error && (
        <Alert variant="error" title="The identity provider did not answer">
          {error}
        </Alert>
      )}
      <Toolbar label="Search users" action={`${ctx.prefix}/users`}>
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
          {q && <Button href={`${ctx.prefix}/users`} label="Clear" variant="ghost" />}
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
            {users.map((u) => (
              <tr>
                <Cell>
                  <a href={`${ctx.prefix}/users/${u.id}`}>{u.username}</a>
                </Cell>
                <Cell>{fullName(u) || "—"}</Cell>
                <Cell>{u.email ?? "—"}</Cell>
                <Cell>
                  <LevelBadge user={u} />
                </Cell>
                <Cell>{u.company ?? "—"}</Cell>
                <Cell>
                  <StatusBadges user={u} />
                </Cell>
                <Cell>{day(u.created_at)}</Cell>
              </tr>
            ))}
          </Table>
        )}
        <Pagination
          prevHref={page > 1 ? link(page - 1) : null}
          nextHref={page < pages ? link(page + 1) : null}
          info={total ? `${from}–${from + users.length - 1} of ${total}` : "0 users"}
        />
      </Card>
    </HelmPage>
  );
}

export interface NewUserProps {
  ctx: PageContext;
  values: Record<string, string>;
  errors: FieldErrors;
  error?: string;
}

export function NewUserPage({ ctx, values, errors, error }: NewUserProps) {
  return (
    <HelmPage title="New user" section="users" ctx={ctx}>
      <PageHeader
        title="New user"
        description="Helm generates the first password and shows it once; give it to the person."
        actions={<Button href={`${ctx.prefix}/users`} label="Back to users" />}
      />
      {error && (
        <Alert variant="error" title="The user was not created">
          {error}
        </Alert>
      )}
      <Card>
        <Form action={`${ctx.prefix}/users`} csrf={ctx.csrf} wide label="New user">
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
            <Button href={`${ctx.prefix}/users`} label="Cancel" variant="ghost" />
          </FormActions>
        </Form>
      </Card>
    </HelmPage>
  );
}

/** The one time a generated password is shown (after creating a user or resetting a password). */
export function PasswordShownPage({
  ctx,
  user,
  password,
  temporary,
  created,
  sessionsEnded = 0,
}: {
  ctx: PageContext;
  user: UserView;
  password: string;
  temporary: boolean;
  created: boolean;
  sessionsEnded?: number;
}) {
  const title = created ? `Created ${user.username}` : `New password for ${user.username}`;
  return (
    <HelmPage title={title} section="users" ctx={ctx}>
      <PageHeader title={title} actions={<Button href={`${ctx.prefix}/users/${user.id}`} label="Open the user" />} />
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
        <a href={`${ctx.prefix}/users`}>Back to users</a>
      </p>
    </HelmPage>
  );
}

export interface EditUserProps {
  ctx: PageContext;
  user: UserView;
  values: Record<string, string>;
  errors: FieldErrors;
  error?: string;
  notice?: string;
}

export function EditUserPage({ ctx, user, values, errors, error, notice }: EditUserProps) {
  const self = user.id === ctx.userId;
  const base = `${ctx.prefix}/users/${user.id}`;
  return (
    <HelmPage title={`User ${user.username}`} section="users" ctx={ctx}>
      <PageHeader
        title={user.username}
        description={<StatusBadges user={user} />}
        actions={<Button href={`${ctx.prefix}/users`} label="Back to users" />}
      />
      {notice && <Alert variant="success">{notice}</Alert>}
      {error && (
        <Alert variant="error" title="That was not done">
          {error}
        </Alert>
      )}
      <Card title="Details">
        <Form action={base} csrf={ctx.csrf} wide label={`Edit ${user.username}`}>
          <Field name="email" label="Email" type="email" value={values.email} error={errors.email} required />
          <Field name="first_name" label="First name" value={values.first_name} error={errors.first_name} />
          <Field name="last_name" label="Last name" value={values.last_name} error={errors.last_name} />
          <Field
            name="level"
            label="Level"
            type="select"
            value={values.level}
            error={errors.level}
            options={values.level ? LEVEL_OPTIONS : [{ value: "", label: "Choose a level…" }, ...LEVEL_OPTIONS]}
            required
            hint={self ? "Your own level can only be changed by another admin." : undefined}
          />
          <Field
            name="company"
            label="Company account number"
            value={values.company}
            error={errors.company}
            hint="Client users only."
          />
          <Field
            name="enabled"
            label="Enabled (may sign in)"
            type="checkbox"
            value={values.enabled === "on"}
            error={errors.enabled}
          />
          <FormActions>
            <Button label="Save" variant="primary" />
          </FormActions>
        </Form>
      </Card>
      <Card title="Groups and account">
        <DescriptionList
          items={[
            { term: "Groups in the identity provider", detail: user.groups.length ? user.groups.join(", ") : null },
            { term: "Created", detail: day(user.created_at) },
            { term: "Identity provider id", detail: <code>{user.id}</code> },
          ]}
        />
      </Card>
      <Card title="Password">
        <p>Helm generates a new password and shows it once. The person's HiveMatrix sessions end.</p>
        <Form action={`${base}/reset-password`} csrf={ctx.csrf} label={`Reset the password of ${user.username}`}>
          <Field name="temporary" label="Ask for a new password at the next sign-in" type="checkbox" value={true} />
          <FormActions>
            <Button label="Reset password" />
          </FormActions>
        </Form>
      </Card>
      <Card title="Delete">
        {self ? (
          <p>You cannot delete your own account.</p>
        ) : (
          <>
            <p>
              Deleting removes the user from the identity provider and ends their sessions. Disabling keeps them for
              later.
            </p>
            <Button href="#delete-user" label={`Delete ${user.username}…`} variant="danger" />
          </>
        )}
      </Card>
      {!self && (
        <Modal
          id="delete-user"
          title={`Delete ${user.username}?`}
          footer={
            <Form action={`${base}/delete`} csrf={ctx.csrf} inline label={`Delete ${user.username}`}>
              <Button label="Delete for good" variant="danger" />
              <Button href="#" label="Keep" variant="ghost" />
            </Form>
          }
        >
          <p>
            {user.username} ({fullName(user) || "no name"}) can no longer sign in, and this cannot be undone.
          </p>
        </Modal>
      )}
    </HelmPage>
  );
}

/** The edit form's values for a user as stored. */
export function valuesOf(user: UserView): Record<string, string> {
  return {
    email: user.email ?? "",
    first_name: user.first_name ?? "",
    last_name: user.last_name ?? "",
    level: user.level ?? "",
    company: user.company ?? "",
    enabled: user.enabled ? "on" : "",
  };
}
