import { Layout, Card, Form, Field, FormActions, Button, Alert } from "@hivematrix/lib/ui";

export interface LoginPageProps {
  action: string;
  clientName: string;
  username?: string;
  error?: string;
}

/** The realm's sign-in form: a plain POST, so it works without JavaScript. */
export function LoginPage({ action, clientName, username, error }: LoginPageProps) {
  return (
    <Layout title="Sign in" app="HiveMatrix">
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
    </Layout>
  );
}
