/**
 * Uploads: routes that take files read their body as a stream, writing each file to a temporary
 * file as it arrives (never the whole body in memory), up to a size the route declares. The app's
 * buffered body limit (lib/app) does not apply to them; their own does.
 */

/** Where a route's files are written while they arrive, and how big they may be. */
export interface UploadRule {
  /** A folder on the same file system as the files' final place, so the app can rename them there. */
  dir: string;
  /** The largest file, in bytes. */
  maxFileBytes: number;
  /** The most files one request may carry (a raw-body upload is one file). */
  maxFiles: number;
}

/** One file as it arrived, in a temporary file the app moves or lets go. */
export interface ReceivedFile {
  /** The form field it came in (`file` for a raw-body upload). */
  field: string;
  /** The name the sender gave it, as sent (empty for a raw body): never a path to write to. */
  filename: string;
  /** The temporary file holding it. */
  path: string;
  size: number;
  sha256: string;
}

/** What an upload route's request carried. */
export interface ReceivedUpload {
  /** The form's text fields (the CSRF token aside). */
  fields: Record<string, string>;
  files: ReceivedFile[];
  /** Files left out for being larger than the rule allows, by the names they were sent under. */
  tooLarge: string[];
  /** Whether files beyond the rule's count were left out. */
  tooMany: boolean;
}

/** Room for a form's text fields and multipart framing beside its files. */
export const FORM_ALLOWANCE = 1024 * 1024;

/** The largest body an upload route reads before it refuses the request whole (413). */
export const requestCap = (rule: UploadRule) => rule.maxFiles * rule.maxFileBytes + FORM_ALLOWANCE;

/** A size for people, in the unit limits are set in: 25 MB. */
export const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

/** Which requests are for upload routes, so the app's buffered body limit leaves them to their own. */
export class UploadRoutes {
  private readonly routes: { method: string; pattern: RegExp; cap: number }[] = [];

  /** `path` is OpenAPI style, as routes declare it: `/api/tickets/{id}/attachments`. */
  add(method: string, path: string, rule: UploadRule): void {
    const pattern = new RegExp(
      `^${path
        .split(/{[^}]+}/)
        .map((part) => part.replaceAll(/[.*+?^$()|[\]\\]/g, "\\$&"))
        .join("[^/]+")}$`,
    );
    this.routes.push({ method: method.toUpperCase(), pattern, cap: requestCap(rule) });
  }

  /** The body cap of the upload route this request is for, or undefined when it is for no upload route. */
  capFor(method: string, path: string): number | undefined {
    return this.routes.find((route) => route.method === method && route.pattern.test(path))?.cap;
  }
}
