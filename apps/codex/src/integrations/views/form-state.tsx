import { Badge, type FieldErrors } from "@hivematrix/lib/ui";

/** A submitted form that failed: which one, the messages per field, and what was typed. */
export interface SubmittedForm {
  name: string;
  errors: FieldErrors;
  values: Record<string, string>;
}

/**
 * What each field of the page shows: what was just typed into the form that failed (with its
 * message), else the stored value.
 */
export function formState(submitted: SubmittedForm | undefined) {
  const mine = (form: string) => submitted?.name === form;
  return {
    value: (form: string, name: string, stored: string | number | boolean | null) =>
      mine(form) && name in submitted!.values ? submitted!.values[name] : stored,
    error: (form: string, name: string) => (mine(form) ? submitted!.errors[name] : undefined),
    checked: (form: string, name: string, stored: boolean) => (mine(form) ? submitted!.values[name] === "on" : stored),
  };
}
export type FormState = ReturnType<typeof formState>;

/** A map as the `key=value` lines its textarea edits. */
export const mapText = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");

export function Configured({ yes }: { yes: boolean }) {
  return yes ? <Badge variant="success">configured</Badge> : <Badge variant="warning">not set</Badge>;
}

export const when = (d: Date | string | null | undefined) =>
  d ? `${new Date(d).toISOString().replace("T", " ").slice(0, 16)} UTC` : "—";
