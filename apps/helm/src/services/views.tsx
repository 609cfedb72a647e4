import {
  Alert,
  Badge,
  Button,
  Card,
  Cell,
  EmptyState,
  Form,
  PageHeader,
  Sparkline,
  Stat,
  StatGrid,
  Table,
  type BadgeVariant,
} from "@hivematrix/lib/ui";
import { usePage } from "@hivematrix/lib/page";
import type { ControlActionRow } from "../db/schema.ts";
import { NOT_FROM_BROWSER } from "./control.ts";
import { formatBytes, formatDuration } from "./format.ts";
import type { ServiceRow, ServiceStatus } from "./json.ts";

const STATE_BADGE: Record<string, BadgeVariant> = {
  running: "success",
  starting: "info",
  restarting: "warning",
  stopped: "neutral",
};
const OUTCOME_BADGE: Record<ControlActionRow["outcome"], BadgeVariant> = {
  done: "success",
  accepted: "info",
  failed: "danger",
  refused: "warning",
};

function HealthBadge({ s }: { s: ServiceStatus }) {
  if (s.health.state === "healthy") return <Badge variant="success">healthy · {s.health.ms} ms</Badge>;
  if (s.health.state === "unhealthy") return <Badge variant="warning">unhealthy · {s.health.detail}</Badge>;
  return <Badge variant="danger">down</Badge>;
}

/** The buttons for what the supervisor can do with a unit; no Stop where stopping is refused. */
function Actions({ s }: { s: ServiceRow }) {
  const page = usePage();
  if (!s.supervisor) return <>—</>;
  const running = s.supervisor.status !== "stopped";
  const form = (action: "start" | "stop" | "restart", label: string, variant: "secondary" | "danger") => (
    <Form action={page.url(`/services/${s.name}/${action}`)} csrf={page.csrf} inline label={`${label} ${s.title}`}>
      <Button label={label} variant={variant} size="small" />
    </Form>
  );
  return (
    <>
      {!running && form("start", "Start", "secondary")}
      {running && form("restart", "Restart", "secondary")}
      {running && !NOT_FROM_BROWSER.has(s.name) && form("stop", "Stop", "danger")}
    </>
  );
}

/** A sparkline with its latest value under it; a dash until two scrapes have come in. */
function Spark({ values, label, unit }: { values: (number | null)[]; label: string; unit: string }) {
  const points = values.filter((v): v is number => v !== null);
  if (points.length === 0) return <>—</>;
  return (
    <>
      <Sparkline values={points} label={label} unit={unit} />
      <br />
      {`${points.at(-1)!.toLocaleString("en", { maximumFractionDigits: 2 })} ${unit}`}
    </>
  );
}

export interface ServicesPageProps {
  supervisorUp: boolean;
  services: ServiceRow[];
  actions: ControlActionRow[];
  error?: string;
}

export function ServicesPage({ supervisorUp, services, actions, error }: ServicesPageProps) {
  const page = usePage();
  const healthy = services.filter((s) => s.health.state === "healthy").length;
  return (
    <>
      <PageHeader
        title="Services"
        description={
          "Every HiveMatrix process: its health, where it really listens, and its traffic over the last scrapes." +
          " Reload for fresh figures."
        }
        actions={<Button href={page.url("/services")} label="Refresh" variant="secondary" />}
      />
      {error && (
        <Alert variant="error" title="That did not work">
          {error}
        </Alert>
      )}
      {!supervisorUp && (
        <Alert variant="warning" title="No supervisor">
          HiveMatrix was not started with <code>bun run start</code> (no control socket answers), so Helm can show
          services but not start or stop them.
        </Alert>
      )}
      <StatGrid>
        <Stat label="Healthy" value={`${healthy} of ${services.length}`} />
        <Stat label="Supervisor" value={supervisorUp ? "running" : "not running"} />
        <Stat
          label="Listening beyond loopback"
          value={String(services.filter((s) => s.exposed).length)}
          hint="Only Nexus should"
          href={page.url("/security")}
        />
      </StatGrid>
      <Card title="Status">
        <Table
          columns={[
            { label: "Service" },
            { label: "Status" },
            { label: "Process" },
            { label: "Listening on" },
            { label: "Requests" },
            { label: "p95 latency" },
            { label: "5xx errors" },
            { label: "" },
          ]}
        >
          {services.map((s) => (
            <tr>
              <Cell>
                {s.title} <Badge>{s.name}</Badge>
              </Cell>
              <Cell>
                {s.supervisor ? (
                  <Badge variant={STATE_BADGE[s.supervisor.status] ?? "neutral"}>{s.supervisor.status}</Badge>
                ) : (
                  <Badge>not managed</Badge>
                )}{" "}
                <HealthBadge s={s} />
                {s.supervisor && s.supervisor.restarts > 0 && (
                  <>
                    <br />
                    {s.supervisor.restarts} automatic restart{s.supervisor.restarts === 1 ? "" : "s"}
                  </>
                )}
                {s.supervisor?.message && (
                  <>
                    <br />
                    {s.supervisor.message}
                  </>
                )}
              </Cell>
              <Cell>
                {s.pid === null ? (
                  "—"
                ) : (
                  <>
                    pid {s.pid}
                    <br />
                    up {formatDuration(s.uptimeSeconds)} · {formatBytes(s.rssBytes)}
                  </>
                )}
              </Cell>
              <Cell>
                {s.listening.length ? s.listening.join(", ") : `not listening (port ${s.port})`}
                {s.exposed && s.name !== "nexus" && (
                  <>
                    {" "}
                    <Badge variant="danger">exposed</Badge>
                  </>
                )}
              </Cell>
              <Cell>
                <Spark values={s.metrics.map((m) => m.rate)} label={`${s.name} requests per second`} unit="/s" />
              </Cell>
              <Cell>
                <Spark values={s.metrics.map((m) => m.p95Ms)} label={`${s.name} 95th percentile latency`} unit="ms" />
              </Cell>
              <Cell>
                <Spark
                  values={s.metrics.map((m) => m.errorPct)}
                  label={`${s.name} share of requests failing with 5xx`}
                  unit="%"
                />
              </Cell>
              <Cell>
                <Actions s={s} />
              </Cell>
            </tr>
          ))}
        </Table>
      </Card>
      <Card title="Recent actions">
        {actions.length === 0 ? (
          <EmptyState title="Nothing started or stopped from Helm yet" />
        ) : (
          <Table
            columns={[
              { label: "When (UTC)" },
              { label: "Who" },
              { label: "Service" },
              { label: "Action" },
              { label: "Outcome" },
              { label: "Details" },
            ]}
          >
            {actions.map((a) => (
              <tr>
                <Cell>
                  <time datetime={a.at.toISOString()}>{a.at.toISOString().replace("T", " ").slice(0, 19)}</time>
                </Cell>
                <Cell>{a.actor}</Cell>
                <Cell>{a.service}</Cell>
                <Cell>{a.action}</Cell>
                <Cell>
                  <Badge variant={OUTCOME_BADGE[a.outcome]}>{a.outcome}</Badge>
                </Cell>
                <Cell>{a.message}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
