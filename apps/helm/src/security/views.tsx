import {
  Alert,
  Badge,
  Button,
  Card,
  Cell,
  EmptyState,
  PageHeader,
  Table,
  Tabs,
  type BadgeVariant,
} from "@hivematrix/lib/ui";
import { usePage } from "@hivematrix/lib/page";
import type { AuditReport, FirewallKind, Severity } from "./json.ts";

const SEVERITY_BADGE: Record<Severity, BadgeVariant> = {
  high: "danger",
  medium: "warning",
  low: "info",
  info: "neutral",
};
const VERDICT_BADGE = { loopback: "success", public: "info", exposed: "danger", "not running": "neutral" } as const;

export interface SecurityPageProps {
  report: AuditReport;
  firewallType: FirewallKind;
  script: string;
}

export function SecurityPage({ report, firewallType, script }: SecurityPageProps) {
  const page = usePage();
  const high = report.findings.filter((f) => f.severity === "high").length;
  return (
    <>
      <PageHeader
        title="Security audit"
        description={
          <>
            Checked {report.at.replace("T", " ").slice(0, 19)} UTC: listening addresses, secrets and default passwords,
            TLS in production and Nexus's certificate, permissions of keys and secrets, and backups. The same checks run
            in a terminal with <code>bun run audit</code>.
          </>
        }
        actions={
          <>
            <Button href={page.url("/security")} label="Run again" variant="primary" />
            <Button href={page.url("/security/certificate")} label="TLS certificate" variant="secondary" />
          </>
        }
      />
      {report.worst === null ? (
        <Alert variant="success" title="No problems found" />
      ) : (
        <Alert
          variant={report.worst === "high" ? "error" : "warning"}
          title={high ? `${high} high-severity finding${high === 1 ? "" : "s"}` : `Worst finding: ${report.worst}`}
        >
          Fix the findings below from the top; each says how.
        </Alert>
      )}
      <Card title="Findings">
        {report.findings.length === 0 ? (
          <EmptyState title="Nothing to report" />
        ) : (
          <Table columns={[{ label: "Severity" }, { label: "Finding" }, { label: "Why it matters" }, { label: "Fix" }]}>
            {report.findings.map((f) => (
              <tr>
                <Cell>
                  <Badge variant={SEVERITY_BADGE[f.severity]}>{f.severity}</Badge>
                </Cell>
                <Cell>{f.title}</Cell>
                <Cell>{f.detail}</Cell>
                <Cell>{f.fix}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <Card title="Listening addresses">
        <Table
          columns={[
            { label: "Service" },
            { label: "Port", numeric: true },
            { label: "Configured" },
            { label: "Really listening on" },
            { label: "Verdict" },
          ]}
        >
          {report.bindings.map((b) => (
            <tr>
              <Cell>{b.service}</Cell>
              <Cell numeric>{b.port}</Cell>
              <Cell>{b.configured}</Cell>
              <Cell>{b.listening.join(", ") || "—"}</Cell>
              <Cell>
                <Badge variant={VERDICT_BADGE[b.verdict]}>{b.verdict}</Badge>
              </Cell>
            </tr>
          ))}
        </Table>
      </Card>
      <Card
        title="Firewall"
        actions={
          <Button
            href={page.url(`/security/firewall.sh?type=${firewallType}`)}
            label="Download script"
            variant="secondary"
          />
        }
      >
        <p>
          A script that leaves only SSH and Nexus reachable from other machines. Review it, then run it as root on this
          server.
        </p>
        <Tabs
          label="Firewall tool"
          tabs={[
            { href: page.url("/security?type=ufw"), label: "ufw", current: firewallType === "ufw" },
            { href: page.url("/security?type=iptables"), label: "iptables", current: firewallType === "iptables" },
          ]}
        />
        <pre>{script}</pre>
      </Card>
    </>
  );
}
