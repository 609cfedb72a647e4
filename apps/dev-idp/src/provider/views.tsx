import { raw } from "hono/html";
import { Button, Card, FormActions } from "@hivematrix/lib/ui";
import { DevIdpLayout } from "../layout.tsx";

/**
 * oidc-provider's sign-out confirmation. `form` is the provider's hidden form (with its
 * anti-forgery field); the button submits it, and a one-line script submits it at once when
 * JavaScript is on, as Keycloak does when the client sent an id_token_hint (allowed by the
 * page's CSP nonce, base64 and so safe inside the attribute).
 */
export function LogoutPage({ form, autoSubmit, nonce }: { form: string; autoSubmit: boolean; nonce: string }) {
  return (
    <DevIdpLayout title="Sign out">
      <div class="page-header">
        <h1 class="page-header__title">Sign out of HiveMatrix?</h1>
      </div>
      <Card>
        {raw(form)}
        <FormActions>
          <button class="btn btn--primary" type="submit" form="op.logoutForm" name="logout" value="yes">
            <span class="btn__label">Yes, sign me out</span>
          </button>
          <Button href="/" label="Stay signed in" />
        </FormActions>
      </Card>
      {autoSubmit &&
        raw(
          `<script nonce="${nonce}">document.getElementById("op.logoutForm")` +
            `.requestSubmit(document.querySelector("button[name=logout]"))</script>`,
        )}
    </DevIdpLayout>
  );
}

export function SignedOutPage() {
  return (
    <DevIdpLayout title="Signed out">
      <div class="page-header">
        <h1 class="page-header__title">You are signed out</h1>
      </div>
    </DevIdpLayout>
  );
}

export function IdpErrorPage({ error, description }: { error: string; description?: string }) {
  return (
    <DevIdpLayout title="Sign-in error">
      <div class="page-header">
        <h1 class="page-header__title">Sign-in error</h1>
      </div>
      <div class="alert alert--error" role="alert">
        <p class="alert__title">{error}</p>
        {description && <div class="alert__message">{description}</div>}
      </div>
    </DevIdpLayout>
  );
}
