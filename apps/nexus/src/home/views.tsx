import type { ServiceEntry } from "@hivematrix/lib/config";
import { usePage } from "@hivematrix/lib/page";
import { Button, Card, EmptyState, Field, Form, FormActions, PageHeader } from "@hivematrix/lib/ui";
import type { Theme } from "../stylesheet/theme.ts";

export interface HomePageProps {
  /** The apps this person may open. */
  tiles: ServiceEntry[];
  theme: Theme | null;
}

/** Nexus's home: a tile per app this person may open, their account and the theme. */
export function HomePage({ tiles, theme }: HomePageProps) {
  const { user, csrf } = usePage();
  return (
    <>
      <PageHeader
        title={`Welcome, ${user.name || user.preferred_username}`}
        description="Open an app to get started."
      />
      {tiles.length === 0 ? (
        <EmptyState
          title="No apps for your account yet"
          message="Ask an administrator which apps your permission level may open."
        />
      ) : (
        <section class="grid" aria-label="Apps">
          {tiles.map((s) => (
            <Card
              title={<a href={`/${s.name}/`}>{s.title}</a>}
              actions={<Button href={`/${s.name}/`} label="Open" variant="primary" size="small" />}
            >
              <p class="meta">{s.description || `Open ${s.title}.`}</p>
            </Card>
          ))}
        </section>
      )}
      <div class="grid">
        <Card title="Your account">
          <p>
            Signed in as <strong>{user.preferred_username}</strong> ({user.permission_level}
            {user.company ? `, company ${user.company}` : ""}).
          </p>
          <Form action="/logout" csrf={csrf} inline label="Sign out">
            <Button label="Sign out" variant="secondary" />
          </Form>
          {user.permission_level === "admin" && (
            <p>
              <a href="/core/sessions">Manage sign-in sessions</a>
              {tiles.some((s) => s.name === "helm") && (
                <>
                  {" · "}
                  <a href="/helm/users">Manage users</a>
                </>
              )}
            </p>
          )}
        </Card>
        <Card title="Appearance">
          <Form action="/theme" csrf={csrf} inline label="Theme">
            <Field
              name="theme"
              label="Theme"
              type="select"
              value={theme ?? "auto"}
              options={[
                { value: "auto", label: "Same as my device" },
                { value: "light", label: "Light" },
                { value: "dark", label: "Dark" },
              ]}
            />
            <input type="hidden" name="back" value="/" />
            <FormActions>
              <Button label="Apply" />
            </FormActions>
          </Form>
        </Card>
      </div>
    </>
  );
}
