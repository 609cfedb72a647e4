import { usePage } from "@hivematrix/lib/page";
import {
  Alert,
  Button,
  Card,
  DescriptionList,
  Field,
  type FieldErrors,
  Form,
  FormActions,
  Modal,
  PageHeader,
} from "@hivematrix/lib/ui";
import type { UserView } from "./json.ts";
import { day, fullName, LEVEL_OPTIONS, StatusBadges } from "./views.tsx";

export interface EditUserProps {
  user: UserView;
  values: Record<string, string>;
  errors: FieldErrors;
  error?: string;
}

export function EditUserPage({ user, values, errors, error }: EditUserProps) {
  const page = usePage();
  const self = user.id === page.user.sub;
  const base = page.url(`/users/${user.id}`);
  return (
    <>
      <PageHeader
        title={user.username}
        description={<StatusBadges user={user} />}
        actions={<Button href={page.url("/users")} label="Back to users" />}
      />
      {error && (
        <Alert variant="error" title="That was not done">
          {error}
        </Alert>
      )}
      <Card title="Details">
        <Form action={base} csrf={page.csrf} wide label={`Edit ${user.username}`}>
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
        <Form action={`${base}/reset-password`} csrf={page.csrf} label={`Reset the password of ${user.username}`}>
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
            <Form action={`${base}/delete`} csrf={page.csrf} inline label={`Delete ${user.username}`}>
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
    </>
  );
}
