/**
 * The Content-Security-Policy every page of the platform is served with: nothing from other
 * origins, no inline script or style (a page that needs one inline script names it by nonce),
 * forms post only to this site, and no site may frame it.
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  styleSrc: ["'self'"],
  scriptSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The policy as a header value, allowing the inline script with `nonce` when given. */
export function contentSecurityPolicy(nonce?: string): string {
  return Object.entries(CSP_DIRECTIVES)
    .map(([name, values]) => {
      const all = name === "scriptSrc" && nonce ? [...values, `'nonce-${nonce}'`] : values;
      return `${kebab(name)} ${all.join(" ")}`;
    })
    .join("; ");
}

/**
 * The security headers the apps get from hono/secure-headers, for servers outside Hono (the
 * dev IdP's oidc-provider pages): the policy above, no MIME sniffing, no framing, no referrer.
 */
export function securityHeaders(nonce?: string): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(nonce),
    "x-content-type-options": "nosniff",
    "x-frame-options": "SAMEORIGIN",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "x-permitted-cross-domain-policies": "none",
  };
}
