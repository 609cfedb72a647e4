import { Alert, Button, Card, Form, FormActions, Layout, PageHeader } from "@hivematrix/lib/ui";

export function SignedOutPage() {
  return (
    <Layout title="Signed out" app="HiveMatrix">
      <PageHeader
        title="You are signed out"
        description="Your session has ended and this browser no longer holds it."
      />
      <p>
        <Button href="/" label="Sign in again" variant="primary" />
      </p>
    </Layout>
  );
}

/** GET /logout asks first, so a link or an image elsewhere cannot sign anyone out. */
export function ConfirmSignOutPage({ csrf }: { csrf: string }) {
  return (
    <Layout title="Sign out" app="HiveMatrix">
      <PageHeader title="Sign out of HiveMatrix?" />
      <Card>
        <Form action="/logout" csrf={csrf} label="Sign out">
          <FormActions>
            <Button label="Sign out" variant="primary" />
            <Button href="/" label="Stay signed in" />
          </FormActions>
        </Form>
      </Card>
    </Layout>
  );
}

export function LoginErrorPage({ message, retry }: { message: string; retry: string }) {
  return (
    <Layout title="Sign-in failed" app="HiveMatrix">
      <PageHeader title="Sign-in failed" />
      <Alert variant="error" title="We could not sign you in">
        {message}
      </Alert>
      <p>
        <Button href={retry} label="Try again" variant="primary" />
      </p>
    </Layout>
  );
}
