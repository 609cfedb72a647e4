import { access } from "@hivematrix/lib/access";

/**
 * Who may call Brainhair's routes. Chats belong to their person, so chat routes are for people
 * only (a service token has no chats), and each checks the chat is the caller's own.
 */
export const ACCESS = {
  /** The chat page's script, like any static asset. */
  anyone: access.public("public"),
  /** Any signed-in person: their own chats, approvals and usage. */
  people: access.people("signed-in"),
  /** The filter: any signed-in level, and apps (service tokens) that must filter what they log. */
  filter: access.callers("signed-in", ["admin", "technician", "billing", "client"]),
  /** Everyone's tool calls and usage: admins (and Helm's service token). */
  admin: access.callers("admin", ["admin"]),
  adminPages: access.people("admin", ["admin"]),
};
