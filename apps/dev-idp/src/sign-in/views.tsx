import { Alert, Button, Card, Field, type FieldErrors, Form, FormActions } from "@hivematrix/lib/ui";

export interface LoginPageProps {
  action: string;
  clientName: string;
  username?: string;
  error?: string;
}

/** The realm's sign-in form: a plain POST, so it works without JavaScript. */
export function LoginPage({ action, clientName, username, error }: LoginPageProps) {
  return (
    <>
      <div class="page-header">
        <h1 class="page-header__title">Sign in to HiveMatrix</h1>
        <p class="page-header__description">Continue to {clientName}.</p>
      </div>
      <Card>
        {error && (
          <Alert variant="error" title="Sign-in failed">
            {error}
          </Alert>
        )}
        <Form action={action} label="Sign in">
          <Field
            name="username"
            label="Username"
            value={username}
            required
            autocomplete="username"
            autofocus={!username}
          />
          <Field
            name="password"
            label="Password"
            type="password"
            required
            autocomplete="current-password"
            autofocus={Boolean(username)}
          />
          <FormActions>
            <Button label="Sign in" variant="primary" />
          </FormActions>
        </Form>
      </Card>
    </>
  );
}

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
    <>
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
    </>
  );
}
