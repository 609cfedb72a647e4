import { usePage } from "@hivematrix/lib/page";
import { Alert, Badge, Button, Card, DescriptionList, PageHeader } from "@hivematrix/lib/ui";
import { CERTIFICATE_WARN_DAYS } from "./audit-ops.ts";
import type { CertificateInfo } from "./json.ts";

const day = (iso: string) => `${iso.replace("T", " ").slice(0, 19)} UTC`;

function DaysLeft({ days }: { days: number }) {
  if (days < 0) return <Badge variant="danger">expired {-days} days ago</Badge>;
  const text = `${days} day${days === 1 ? "" : "s"}`;
  return <Badge variant={days < CERTIFICATE_WARN_DAYS ? "warning" : "success"}>{text}</Badge>;
}

/** Nexus's TLS certificate: who it names, who vouches for it, and how long it has left. */
export function CertificatePage({ certificate }: { certificate: CertificateInfo }) {
  const page = usePage();
  return (
    <>
      <PageHeader
        title="TLS certificate"
        description="The certificate Nexus serves HTTPS with (NEXUS_TLS_CERT), read from its file."
        actions={<Button href={page.url("/security")} label="Back to the audit" variant="secondary" />}
      />
      {!certificate.configured ? (
        <Alert variant="info" title="No TLS is configured">
          Nexus serves plain HTTP: NEXUS_TLS_CERT and NEXUS_TLS_KEY are unset. In production, set both (README "Nexus"),
          or terminate TLS in a reverse proxy in front of Nexus, whose certificate Helm cannot see.
        </Alert>
      ) : "error" in certificate ? (
        <Alert variant="error" title="The certificate cannot be read">
          {certificate.error}
        </Alert>
      ) : (
        <>
          {certificate.days_left < CERTIFICATE_WARN_DAYS && (
            <Alert variant={certificate.days_left < 0 ? "error" : "warning"} title="Renew it now">
              Browsers refuse an expired certificate. Renew it in {certificate.file}, then restart Nexus.
            </Alert>
          )}
          <Card title="Certificate">
            <DescriptionList
              label="Nexus's TLS certificate"
              items={[
                { term: "Subject", detail: certificate.subject },
                { term: "Names it covers", detail: certificate.alt_names.join(", ") || "—" },
                {
                  term: "Issuer",
                  detail: `${certificate.issuer}${certificate.self_signed ? " (self-signed)" : ""}`,
                },
                { term: "Valid from", detail: day(certificate.valid_from) },
                { term: "Expires", detail: day(certificate.valid_to) },
                { term: "Days left", detail: <DaysLeft days={certificate.days_left} /> },
                { term: "SHA-256 fingerprint", detail: <code>{certificate.sha256}</code> },
                { term: "File", detail: <code>{certificate.file}</code> },
              ]}
            />
          </Card>
        </>
      )}
    </>
  );
}
