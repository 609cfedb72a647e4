import { usePage } from "@hivematrix/lib/page";
import { Alert, Button, Card, Field, PageHeader, Toolbar, ToolbarGroup } from "@hivematrix/lib/ui";

export interface RawOutputProps {
  service: string;
  file: string;
  lines: string[];
  /** Where the shown lines end in the file (inode:offset): the live view continues from there. */
  end: string | null;
  count: number;
  error?: string;
}

/** Lines the page keeps once new ones stream in (older ones scroll away). */
const MAX_SHOWN = 5_000;

export function RawOutputPage({ service, file, lines, end, count, error }: RawOutputProps) {
  const page = usePage();
  const base = `/services/${service}/output`;
  const stream = page.url(`${base}/stream${end ? `?from=${end}` : ""}`);
  return (
    <>
      <PageHeader
        title={`Output of ${service}`}
        description={
          <>
            Everything the process printed, as the supervisor keeps it in <code>{file}</code>: a crash's message is here
            even when it never reached the logs.
          </>
        }
        actions={<Button href={page.url("/services")} label="Back to services" variant="secondary" />}
      />
      {error && (
        <Alert variant="error" title="That number of lines is not shown">
          {error}
        </Alert>
      )}
      <Toolbar label="How many lines" action={page.url(base)}>
        <Field name="lines" label="Last lines" type="number" min="1" value={String(count)} error={error} />
        <ToolbarGroup end>
          <Button label="Show" variant="primary" />
        </ToolbarGroup>
      </Toolbar>
      <Card title={`The last ${lines.length} line${lines.length === 1 ? "" : "s"}`}>
        <noscript>
          <p>The live part of this page needs JavaScript; without it this is a snapshot. Reload to refresh.</p>
        </noscript>
        <p id="output-status" role="status">
          {lines.length ? "Connecting…" : "Nothing printed yet. Connecting…"}
        </p>
        <pre
          role="log"
          id="raw-output"
          tabindex={0}
          aria-label={`Raw output of ${service}, oldest first`}
          data-stream={stream}
          data-max-lines={String(MAX_SHOWN)}
        >
          {lines.map((line) => `${line}\n`).join("")}
        </pre>
      </Card>
      <script src={page.url("/static/raw-output.js")} defer></script>
    </>
  );
}
