import { usePage } from "@hivematrix/lib/page";
import { Button, Card, Form, FormActions, PageHeader } from "@hivematrix/lib/ui";

export function SignedOutPage() {
  return (
    <>
      <PageHeader
        title="You are signed out"
        description="Your session has ended and this browser no longer holds it."
      />
      <p>
        <Button href="/" label="Sign in again" variant="primary" />
      </p>
    </>
  );
}

/** GET /logout asks first, so a link or an image elsewhere cannot sign anyone out. */
export function ConfirmSignOutPage() {
  const page = usePage();
  return (
    <>
      <PageHeader title="Sign out of HiveMatrix?" />
      <Card>
        <Form action="/logout" csrf={page.csrf} label="Sign out">
          <FormActions>
            <Button label="Sign out" variant="primary" />
            <Button href="/" label="Stay signed in" />
          </FormActions>
        </Form>
      </Card>
    </>
  );
}
