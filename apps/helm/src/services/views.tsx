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
import type { BackupEvidence } from "../backups/evidence.ts";
import type { ProgressJson } from "../backups/json.ts";
import type { ControlActionRow } from "../db/schema.ts";
import { NOT_FROM_BROWSER } from "./control.ts";
import { formatBytes, formatDuration } from "./format.ts";
import type { ServiceRow, ServiceStatus } from "./json.ts";
import type { RestartAllState } from "./supervisor-client.ts";
import { LastBackupStat, RestartAllAlert, RestartAllButton } from "./views-ops.tsx";

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

function HealthBadge({ service: { health } }: { service: ServiceStatus }) {
  if (health.state === "healthy") return <Badge variant="success">healthy · {health.ms} ms</Badge>;
  if (health.state === "unhealthy") return <Badge variant="warning">unhealthy · {health.detail}</Badge>;
  return <Badge variant="danger">down</Badge>;
}

/** The unit's raw output, then the buttons for what the supervisor can do with it; no Stop where it is refused. */
function Actions({ service }: { service: ServiceRow }) {
  const page = usePage();
  if (!service.supervisor) return <>—</>;
  const output = (
    <a href={page.url(`/services/${service.name}/output`)}>
      Output<span class="visually-hidden"> of {service.title}</span>
    </a>
  );
  const running = service.supervisor.status !== "stopped";
  const form = (action: "start" | "stop" | "restart", label: string, variant: "secondary" | "danger") => (
    <Form
      action={page.url(`/services/${service.name}/${action}`)}
      csrf={page.csrf}
      inline
      label={`${label} ${service.title}`}
    >
      <Button label={label} variant={variant} size="small" />
    </Form>
  );
  return (
    <>
      {output}
      {!running && form("start", "Start", "secondary")}
      {running && form("restart", "Restart", "secondary")}
      {running && !NOT_FROM_BROWSER.has(service.name) && form("stop", "Stop", "danger")}
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
  restartAll: RestartAllState | null;
  backup: BackupEvidence;
  backupRunning: ProgressJson | null;
  error?: string;
}

export function ServicesPage(props: ServicesPageProps) {
  const { supervisorUp, services, actions, restartAll, error } = props;
  const page = usePage();
  const healthy = services.filter((service) => service.health.state === "healthy").length;
  return (
    <>
      <PageHeader
        title="Services"
        description={
          "Every HiveMatrix process: its health, where it really listens, and its traffic over the last scrapes." +
          " Reload for fresh figures."
        }
        actions={
          <>
            <RestartAllButton disabled={!supervisorUp || restartAll?.status === "running"} />
            <Button href={page.url("/services")} label="Refresh" variant="secondary" />
          </>
        }
      />
      <RestartAllAlert state={restartAll} />
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
          value={String(services.filter((service) => service.exposed).length)}
          hint="Only Nexus should"
          href={page.url("/security")}
        />
        <LastBackupStat backup={props.backup} running={props.backupRunning} />
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
          {services.map((service) => (
            <tr>
              <Cell>
                {service.title} <Badge>{service.name}</Badge>
              </Cell>
              <Cell>
                {service.supervisor ? (
                  <Badge variant={STATE_BADGE[service.supervisor.status] ?? "neutral"}>
                    {service.supervisor.status}
                  </Badge>
                ) : (
                  <Badge>not managed</Badge>
                )}{" "}
                <HealthBadge service={service} />
                {service.supervisor && service.supervisor.restarts > 0 && (
                  <>
                    <br />
                    {service.supervisor.restarts} automatic restart{service.supervisor.restarts === 1 ? "" : "s"}
                  </>
                )}
                {service.supervisor?.message && (
                  <>
                    <br />
                    {service.supervisor.message}
                  </>
                )}
              </Cell>
              <Cell>
                {service.pid === null ? (
                  "—"
                ) : (
                  <>
                    pid {service.pid}
                    <br />
                    up {formatDuration(service.uptimeSeconds)} · {formatBytes(service.rssBytes)}
                  </>
                )}
              </Cell>
              <Cell>
                {service.listening.length ? service.listening.join(", ") : `not listening (port ${service.port})`}
                {service.exposed && service.name !== "nexus" && (
                  <>
                    {" "}
                    <Badge variant="danger">exposed</Badge>
                  </>
                )}
              </Cell>
              <Cell>
                <Spark
                  values={service.metrics.map((m) => m.rate)}
                  label={`${service.name} requests per second`}
                  unit="/s"
                />
              </Cell>
              <Cell>
                <Spark
                  values={service.metrics.map((m) => m.p95Ms)}
                  label={`${service.name} 95th percentile latency`}
                  unit="ms"
                />
              </Cell>
              <Cell>
                <Spark
                  values={service.metrics.map((m) => m.errorPct)}
                  label={`${service.name} share of requests failing with 5xx`}
                  unit="%"
                />
              </Cell>
              <Cell>
                <Actions service={service} />
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
