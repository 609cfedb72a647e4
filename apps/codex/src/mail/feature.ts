import type { RouteTable } from "@hivematrix/lib/route-table";
import type { Deps } from "../deps.ts";
import { triageApi } from "./inbound/api.ts";
import { triagePages } from "./inbound/pages.tsx";
import { InboundPoller } from "./inbound/poller.ts";
import { outboxApi } from "./outbox/api.ts";
import { outboxPages } from "./outbox/pages.tsx";
import { OutboxSender } from "./outbox/sender.ts";

/** Email's running parts in this process; `stop()` ends them (before the database closes). */
export interface MailService {
  sender: OutboxSender | null;
  poller: InboundPoller | null;
  stop(): Promise<void>;
}

/**
 * Codex's email: the outbox's sender (SMTP_URL), the mailbox's poller (IMAP_URL), the admin's
 * outbox page and API, and staff's triage list. Each side runs only when its URL is set.
 */
export function mailFeature(routes: RouteTable, deps: Deps): MailService {
  const { mail } = deps.settings;
  const sender =
    mail.smtp && mail.from
      ? new OutboxSender(deps.db, mail.smtp, mail.from, mail.replyTo ?? mail.from, deps.logger)
      : null;
  const own = [mail.from?.address, mail.replyTo?.address, mail.imap?.user.toLowerCase()].filter(
    (address): address is string => Boolean(address?.includes("@")),
  );
  const poller = mail.imap
    ? new InboundPoller(
        {
          db: deps.db,
          events: deps.ticketEvents,
          own: { addresses: own, messageIdDomain: mail.messageIdDomain },
          attachments: deps.attachments,
        },
        mail.imap,
        deps.logger,
      )
    : null;
  outboxApi(routes, deps);
  outboxPages(routes, deps, poller);
  triageApi(routes, deps);
  triagePages(routes, deps);
  sender?.start();
  poller?.start();
  return {
    sender,
    poller,
    async stop() {
      await sender?.stop();
      await poller?.stop();
    },
  };
}
