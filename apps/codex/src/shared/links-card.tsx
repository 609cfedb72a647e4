import type { Child } from "hono/jsx";
import { usePage } from "@hivematrix/lib/page";
import { Button, Card, Cell, EmptyState, Form, Table } from "@hivematrix/lib/ui";

/**
 * The assets a contact uses, or the contacts using an asset; with `assign`, an Unassign button on
 * each and a form to assign one more.
 */
export function LinksCard({
  title,
  empty,
  column,
  links,
  removeAction,
  assign,
}: {
  title: string;
  empty: string;
  column: string;
  links: { id: number; name: string; href: string; badge?: Child }[];
  removeAction: (id: number) => string;
  /** Absent (or false) for those who may only read: no Unassign buttons either. */
  assign?: { action: string; label: string; button: string; field: Child } | false;
}) {
  const page = usePage();
  const editable = Boolean(assign);
  return (
    <Card title={title}>
      {links.length === 0 ? (
        <EmptyState title={empty} />
      ) : (
        <Table columns={[{ label: column }, ...(editable ? [{ label: "" }] : [])]}>
          {links.map((link) => (
            <tr>
              <Cell>
                <a href={page.url(link.href)}>{link.name}</a>
                {link.badge && <> {link.badge}</>}
              </Cell>
              {editable && (
                <Cell>
                  <Form
                    action={page.url(removeAction(link.id))}
                    csrf={page.csrf}
                    inline
                    label={`Unassign ${link.name}`}
                  >
                    <Button label="Unassign" variant="danger" size="small" />
                  </Form>
                </Cell>
              )}
            </tr>
          ))}
        </Table>
      )}
      {assign && (
        <Form action={page.url(assign.action)} csrf={page.csrf} inline label={assign.label}>
          {assign.field}
          <Button label={assign.button} />
        </Form>
      )}
    </Card>
  );
}
