import { usePage } from "@hivematrix/lib/page";
import { Alert, Button, Card, Field, type FieldErrors, Form, FormActions, PageHeader } from "@hivematrix/lib/ui";
import type { CsvKind } from "./json.ts";

/** What an import came to: how many rows of each outcome, or the rows that stopped it. */
export type ImportOutcome =
  | { created: number; updated: number; unchanged: number }
  | { rows: { line: number; messages: string }[] };

export function ImportPage({ kind, errors, result }: { kind: CsvKind; errors: FieldErrors; result?: ImportOutcome }) {
  const page = usePage();
  return (
    <>
      <PageHeader
        title={`Import ${kind} from CSV`}
        description={
          "Use the columns of the export. Every row is checked first: if any row is wrong, nothing is imported."
        }
      />
      {result && "created" in result && (
        <Alert
          variant="success"
          title="Imported"
        >{`${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged.`}</Alert>
      )}
      {result && "rows" in result && (
        <Alert variant="error" title="Nothing was imported">
          <ul>
            {result.rows.map((row) => (
              <li>
                Line {row.line}: {row.messages}
              </li>
            ))}
          </ul>
        </Alert>
      )}
      <Card>
        <Form
          action={page.url(`/import/${kind}`)}
          csrf={page.csrf}
          enctype="multipart/form-data"
          label={`Import ${kind}`}
        >
          <Field name="file" label="CSV file" type="file" required error={errors.file} />
          <FormActions>
            <Button label="Import" variant="primary" />
            <Button
              href={page.url(`/api/${kind}/export.csv`)}
              label="Download the current data as CSV"
              variant="ghost"
            />
          </FormActions>
        </Form>
      </Card>
    </>
  );
}
