import { Alert, Button, PageHeader } from "@hivematrix/lib/ui";

export function LoginErrorPage({ message, retry }: { message: string; retry: string }) {
  return (
    <>
      <PageHeader title="Sign-in failed" />
      <Alert variant="error" title="We could not sign you in">
        {message}
      </Alert>
      <p>
        <Button href={retry} label="Try again" variant="primary" />
      </p>
    </>
  );
}
