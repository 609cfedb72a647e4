import { Alert, Button, Card, Field, Form, FormActions, Layout, type FieldErrors } from "@hivematrix/lib/ui";

export interface UpdatePasswordPageProps {
  action: string;
  username: string;
  errors?: FieldErrors;
}

/**
 * Keycloak's "Update password" required action: after signing in with a temporary password
 * (set by an admin), the user chooses their own before the sign-in completes. A plain POST.
 */
export function UpdatePasswordPage({ action, username, errors = {} }: UpdatePasswordPageProps) {
  return (
    <Layout title="Update password" app="HiveMatrix">
      <div class="page-header">
        <h1 class="page-header__title">Choose a new password</h1>
        <p class="page-header__description">
          The password you signed in with was temporary. Choose your own to continue, {username}.
        </p>
      </div>
      <Card>
        {Object.keys(errors).length > 0 && (
          <Alert variant="error" title="The password was not changed">
            Check the fields below.
          </Alert>
        )}
        <Form action={action} label="Update password">
          <Field
            name="password-new"
            label="New password"
            type="password"
            required
            autocomplete="new-password"
            autofocus
            error={errors["password-new"]}
            hint="At least 8 characters."
          />
          <Field
            name="password-confirm"
            label="Confirm the new password"
            type="password"
            required
            autocomplete="new-password"
            error={errors["password-confirm"]}
          />
          <FormActions>
            <Button label="Save and continue" variant="primary" />
          </FormActions>
        </Form>
      </Card>
    </Layout>
  );
}
