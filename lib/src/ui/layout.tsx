import type { Child } from "hono/jsx";
import { raw } from "hono/html";

export interface NavLink {
  href: string;
  label: string;
  current?: boolean;
}

export interface LayoutProps {
  title: string;
  /** Brand line in the header, usually the app's title. */
  app?: string;
  /** Where the brand links to (the app's home behind Nexus's prefix). */
  home?: string;
  /** The platform's home page (Nexus's "/") when the app is reached through Nexus: shown before the brand. */
  platformHome?: string;
  nav?: NavLink[];
  /** Shown at the right of the header: who is signed in. */
  user?: { name: string; level: string } | null;
  /** Reload the page every this many seconds (wall displays that must work without scripts). */
  refreshSeconds?: number;
  children?: Child;
}

/** A complete HTML5 document. Nexus injects global.css into its <head>. */
export function Layout({
  title,
  app = "HiveMatrix",
  home = "/",
  platformHome,
  nav = [],
  user,
  refreshSeconds,
  children,
}: LayoutProps) {
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          {refreshSeconds !== undefined && <meta http-equiv="refresh" content={String(refreshSeconds)} />}
          <title>{title === app ? title : `${title} · ${app}`}</title>
        </head>
        <body class="layout">
          <a class="layout__skip" href="#main">
            Skip to content
          </a>
          <header class="layout__header">
            {platformHome && (
              <a class="layout__platform" href={platformHome} aria-label="HiveMatrix home">
                HiveMatrix
              </a>
            )}
            <a class="layout__brand" href={home}>
              {app}
            </a>
            {nav.length > 0 && <Nav links={nav} />}
            {user && (
              <span class="layout__user">
                {user.name} <span class="badge badge--neutral">{user.level}</span>
              </span>
            )}
          </header>
          <main class="layout__main" id="main">
            {children}
          </main>
        </body>
      </html>
    </>
  );
}

export function Nav({ links }: { links: NavLink[] }) {
  return (
    <nav class="nav" aria-label="Sections">
      <ul class="nav__list">
        {links.map((l) => (
          <li class="nav__item">
            <a
              class={l.current ? "nav__link nav__link--current" : "nav__link"}
              href={l.href}
              aria-current={l.current ? "page" : undefined}
            >
              {l.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
