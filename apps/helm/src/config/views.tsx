import { Badge, Card, Cell, PageHeader, Table } from "@hivematrix/lib/ui";
import type { AppSettings, SecretFileInfo, Setting } from "./json.ts";

function SettingsTable({ settings }: { settings: Setting[] }) {
  return (
    <Table columns={[{ label: "Setting" }, { label: "Value" }, { label: "From" }]}>
      {settings.map((s) => (
        <tr>
          <Cell>
            <code>{s.name}</code>
          </Cell>
          <Cell>
            {s.value}
            {s.masked && (
              <>
                {" "}
                <Badge>hidden</Badge>
              </>
            )}
          </Cell>
          <Cell>{s.source}</Cell>
        </tr>
      ))}
    </Table>
  );
}

export interface ConfigPageProps {
  services_file: string;
  servicesText: string;
  platform: Setting[];
  identity_provider: Setting[];
  apps: AppSettings[];
  secrets: SecretFileInfo[];
}

export function ConfigPage(props: ConfigPageProps) {
  const { services_file: servicesFile, servicesText, platform, identity_provider: idp, apps, secrets } = props;
  return (
    <>
      <PageHeader
        title="Configuration"
        description={
          "The settings in effect, read once when each process started: change them in the environment or" +
          " services.json and restart the service. Secret values are never shown."
        }
      />
      <Card title="Platform">
        <SettingsTable settings={platform} />
      </Card>
      <Card title="Identity provider">
        <SettingsTable settings={idp} />
      </Card>
      {apps.map((a) => (
        <Card title={`${a.title} (${a.service})`}>
          <SettingsTable settings={a.settings} />
        </Card>
      ))}
      <Card title="Secret files">
        <Table
          columns={[{ label: "Secret" }, { label: "File" }, { label: "Mode" }, { label: "Length", numeric: true }]}
        >
          {secrets.map((s) => (
            <tr>
              <Cell>{s.name}</Cell>
              <Cell>
                <code>{s.path}</code>
              </Cell>
              <Cell>
                {s.mode === "0600" ? (
                  <Badge variant="success">{s.mode}</Badge>
                ) : (
                  <Badge variant="danger">{s.mode}</Badge>
                )}
              </Cell>
              <Cell numeric>{s.length} characters</Cell>
            </tr>
          ))}
        </Table>
      </Card>
      <Card title={`services.json (${servicesFile})`}>
        <pre>{servicesText}</pre>
      </Card>
    </>
  );
}
