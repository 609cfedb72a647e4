/**
 * The one list of operations the assistant cannot call, each with the reason. Every other
 * operation of every app's /api/openapi.json is reachable by a curated tool or by api_operation;
 * the coverage test fails for an operation that is neither (a new route must be callable or be
 * named here) and for an entry here that names no operation any more.
 */
export const EXCLUDED: Record<string, string> = {
  "core POST /api/token/exchange":
    "Nexus's sign-in step: it takes an identity provider's access token, which the assistant never holds.",
  "core POST /api/token/validate": "Nexus and the apps check tokens with it; a person has nothing to ask of it.",
  "core POST /api/token/revoke": "It signs the person out; that is their sign-out button's job, not an assistant's.",
  "core GET /api/sessions/revocations":
    "Nexus's never-ending feed of revoked sessions, for service tokens only; a person has nothing to read there.",
  "core POST /service-token": "Only an app proves its service secret here; the assistant acts with the person's token.",
  "nexus GET /login":
    "Nexus's sign-in, a browser's redirect to the identity provider; the person is signed in already.",
  "nexus GET /keycloak-callback": "The identity provider's return to Nexus during a browser's sign-in.",
  "nexus POST /logout": "It signs the person out; that is their sign-out button's job, not an assistant's.",
  "nexus GET /signed-out": "The page a browser lands on after signing out.",
  "helm POST /api/logs/ingest": "The apps' log shipping, for service tokens only: a person never sends log lines.",
  "helm GET /logs/stream":
    "The live tail's event stream for a browser page, never ending; search_logs reads the same logs.",
  "codex POST /api/companies/import": "A CSV upload (text/csv): the person picks the file on Codex's import page.",
  "codex POST /api/contacts/import": "A CSV upload (text/csv): the person picks the file on Codex's import page.",
  "codex POST /api/assets/import": "A CSV upload (text/csv): the person picks the file on Codex's import page.",
  "codex POST /api/tickets/{id}/attachments":
    "A file upload (the file's bytes are the body): the person picks the file on the ticket's page; the model has none to send.",
  "codex GET /api/billing/invoices.zip": "A ZIP download, for a person's browser; the model cannot read it.",
  "brainhair POST /api/chats": "Opens a chat: the person does that, the assistant works inside one.",
  "brainhair POST /api/chats/{id}/messages": "Speaks for the person in a chat; only the person writes their messages.",
  "brainhair POST /api/chats/{id}/stop": "The person's Stop button.",
  "brainhair POST /api/approvals/{id}/decision": "Only the person decides an approval, never the model it binds.",
  "brainhair GET /api/chats/{id}/events": "The live event stream of the person's own page.",
};

export const isExcluded = (key: string) => key in EXCLUDED;
