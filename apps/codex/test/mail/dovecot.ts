import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { ImapFlow } from "imapflow";
import { freePort } from "@hivematrix/lib/testing";

export const DOVECOT = "/usr/sbin/dovecot";

/**
 * Whether the IMAP tests can run: Debian's Dovecot is installed (.ci/run installs it). Without
 * it they are skipped with a message, unless HIVEMATRIX_REQUIRE_DOVECOT=1 (CI) makes that an error.
 */
export function dovecotAvailable(): boolean {
  const ok = existsSync(DOVECOT);
  if (!ok && process.env.HIVEMATRIX_REQUIRE_DOVECOT === "1")
    throw new Error(`HIVEMATRIX_REQUIRE_DOVECOT=1 but ${DOVECOT} is missing (apt-get install -y dovecot-imapd)`);
  if (!ok) console.warn(`skipping the IMAP tests: ${DOVECOT} is missing (apt-get install -y dovecot-imapd)`);
  return ok;
}

export interface Dovecot {
  port: number;
  /** An IMAP_URL for this user's INBOX. */
  url(user: string): string;
  /** Puts a raw message into a user's INBOX, as a mail server delivering it would. */
  append(user: string, raw: string | Buffer): Promise<void>;
  /** Every message in a user's INBOX, raw, oldest first. */
  messages(user: string): Promise<Buffer[]>;
  stop(): Promise<void>;
}

/** A system user's uid and gid from /etc/passwd (the Dovecot package adds `dovecot` and `dovenull`). */
function systemUser(name: string): { uid: number; gid: number } | null {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith(`${name}:`));
  if (!line) return null;
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

async function listening(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const socket = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
      socket.end();
      return;
    } catch (e) {
      if (Date.now() > until) throw e;
      await Bun.sleep(50);
    }
  }
}

/**
 * A private Dovecot (IMAP only) for one test file: its own config in a temp folder, a free port
 * on 127.0.0.1, plain-text logins allowed there, users from a passwd-file and Maildirs in the
 * folder. Nothing outside the folder is touched. As root it runs its mail processes as the
 * package's `dovecot` user; otherwise as the current user.
 */
export async function startDovecot(users: Record<string, string>): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), "hm-dovecot-"));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const root = process.getuid?.() === 0;
  const me = userInfo().username;
  const mailOwner = root ? (systemUser("dovecot") ?? { uid: 0, gid: 0 }) : { uid: userInfo().uid, gid: userInfo().gid };
  mkdirSync(join(dir, "mail"));
  if (root) chownSync(join(dir, "mail"), mailOwner.uid, mailOwner.gid);
  writeFileSync(
    join(dir, "passwd"),
    Object.entries(users)
      .map(([user, pass]) => `${user}:{PLAIN}${pass}::::::`)
      .join("\n"),
  );
  const conf = join(dir, "dovecot.conf");
  writeFileSync(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = hm-test-${port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = ${dir}/dovecot.log
mail_location = maildir:${dir}/mail/%u
first_valid_uid = ${Math.min(mailOwner.uid, 1)}
default_internal_user = ${root ? "dovecot" : me}
default_login_user = ${root ? "dovenull" : me}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${mailOwner.uid} gid=${mailOwner.gid} home=${dir}/mail/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
  );
  const proc = Bun.spawn([DOVECOT, "-F", "-c", conf], { stdout: "ignore", stderr: "pipe" });
  try {
    await listening(port, 10_000);
  } catch {
    proc.kill();
    const log = existsSync(join(dir, "dovecot.log")) ? readFileSync(join(dir, "dovecot.log"), "utf8") : "";
    throw new Error(`dovecot did not start on ${port}: ${log}`);
  }
  const session = async <T>(user: string, work: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const client = new ImapFlow({
      host: "127.0.0.1",
      port,
      secure: false,
      auth: { user, pass: users[user]! },
      logger: false,
    });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.logout();
    }
  };
  return {
    port,
    url: (user) => `imap://${encodeURIComponent(user)}:${encodeURIComponent(users[user]!)}@127.0.0.1:${port}/INBOX`,
    async append(user, raw) {
      await session(user, async (client) => {
        await client.append("INBOX", raw);
      });
    },
    messages: (user) =>
      session(user, async (client) => {
        const lock = await client.getMailboxLock("INBOX");
        try {
          const out: Buffer[] = [];
          if (!client.mailbox || client.mailbox.exists === 0) return out;
          for await (const message of client.fetch("1:*", { source: true }))
            if (message.source) out.push(message.source);
          return out;
        } finally {
          lock.release();
        }
      }),
    async stop() {
      proc.kill();
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
