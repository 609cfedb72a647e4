import { dirname } from "node:path";

export const UNIT_NAME = "hivematrix.service";

export interface UnitInput {
  /** The account the platform runs as, and its primary group. */
  user: string;
  group: string;
  /** The install's folder (the repository): the working directory, where Bun reads `.env`. */
  root: string;
  home: string;
  /** The Bun that runs `bun run service install`; the units the supervisor starts find it on PATH. */
  bun: string;
}

/** A value for `Environment=`, quoted as systemd reads it. */
const quoted = (assignment: string) => `"${assignment.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/**
 * The systemd unit running this install's `scripts/start.ts` (the supervisor) in production.
 * The supervisor itself restarts crashed apps; systemd restarts the supervisor if it fails, and
 * stops it with one SIGTERM (KillMode=mixed), so it can stop the apps in order before systemd
 * kills whatever is left.
 */
export function unitText(u: UnitInput): string {
  const path = [dirname(u.bun), "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];
  return `# Written by \`bun run service install\` for the HiveMatrix install in ${u.root}.
# Settings go in ${u.root}/.env (Bun reads it at start); run the install again after moving the install.
[Unit]
Description=HiveMatrix (identity, gateway and apps)
Documentation=file://${u.root}/README.md
After=network-online.target postgresql.service
Wants=network-online.target

[Service]
Type=simple
User=${u.user}
Group=${u.group}
WorkingDirectory=${u.root}
Environment=${quoted("HIVEMATRIX_ENV=production")}
Environment=${quoted(`HIVEMATRIX_HOME=${u.home}`)}
Environment=${quoted(`PATH=${[...new Set(path)].join(":")}`)}
Environment=${quoted("NO_COLOR=1")}
ExecStart=${u.bun} ${u.root}/scripts/start.ts
Restart=on-failure
RestartSec=5
KillMode=mixed
TimeoutStopSec=120
# Limits: Nexus holds a socket per client and per upstream connection.
LimitNOFILE=65536
TasksMax=4096
UMask=0077
NoNewPrivileges=yes
PrivateTmp=yes
ProtectSystem=full
# Lets Nexus serve HTTPS on port 443 (NEXUS_HTTPS_PORT) without running as root.
AmbientCapabilities=CAP_NET_BIND_SERVICE
SyslogIdentifier=hivematrix

[Install]
WantedBy=multi-user.target
`;
}
