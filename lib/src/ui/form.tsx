import type { Child } from "hono/jsx";

interface FormProps {
  action: string;
  method?: "get" | "post";
  /** The CSRF token; required for every form that changes state. */
  csrf?: string;
  children?: Child;
  /** Marks the form as a compact, single-line form (search boxes, inline actions). */
  inline?: boolean;
  /** Lays fields out in as many columns as fit (one on narrow screens); for long forms. */
  wide?: boolean;
  enctype?: "multipart/form-data";
  label?: string;
}

export function Form({ action, method = "post", csrf, children, inline, wide, enctype, label }: FormProps) {
  const cls = ["form", inline && "form--inline", wide && !inline && "form--wide"].filter(Boolean).join(" ");
  return (
    <form class={cls} action={action} method={method} enctype={enctype} aria-label={label}>
      {csrf && <input type="hidden" name="_csrf" value={csrf} />}
      {children}
    </form>
  );
}

export function FormActions({ children }: { children?: Child }) {
  return <div class="form__actions">{children}</div>;
}

/** Field errors as rendered next to each field: field name → message. */
export type FieldErrors = Partial<Record<string, string>>;

interface FieldProps {
  name: string;
  label: Child;
  type?:
    | "text"
    | "email"
    | "password"
    | "number"
    | "date"
    | "tel"
    | "url"
    | "search"
    | "file"
    | "textarea"
    | "select"
    | "checkbox";
  value?: string | number | boolean | null;
  error?: string;
  hint?: Child;
  required?: boolean;
  options?: { value: string; label: string }[];
  placeholder?: string;
  autocomplete?: string;
  autofocus?: boolean;
  step?: string;
  min?: string;
  rows?: number;
  /** A file input that takes several files. */
  multiple?: boolean;
  /** In a wide form, spans the whole row (long text, notes). */
  full?: boolean;
}

export function Field(p: FieldProps) {
  const id = `field-${p.name.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
  const describedBy = [p.hint ? `${id}-hint` : "", p.error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    name: p.name,
    required: p.required,
    "aria-invalid": p.error ? "true" : undefined,
    "aria-describedby": describedBy,
    autofocus: p.autofocus,
  };
  const text = p.value === null || p.value === undefined || typeof p.value === "boolean" ? "" : String(p.value);
  let control: Child;
  if (p.type === "textarea") {
    control = (
      <textarea class="field__input field__input--textarea" rows={p.rows ?? 4} placeholder={p.placeholder} {...common}>
        {text}
      </textarea>
    );
  } else if (p.type === "select") {
    control = (
      <select class="field__input field__input--select" {...common}>
        {(p.options ?? []).map((o) => (
          <option value={o.value} selected={o.value === text}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else if (p.type === "checkbox") {
    control = (
      <input
        class="field__checkbox"
        type="checkbox"
        value="on"
        checked={p.value === true || text === "on"}
        {...common}
      />
    );
  } else {
    control = (
      <input
        class="field__input"
        type={p.type ?? "text"}
        value={p.type === "password" || p.type === "file" ? undefined : text}
        placeholder={p.placeholder}
        autocomplete={p.autocomplete}
        step={p.step}
        min={p.min}
        multiple={p.multiple}
        {...common}
      />
    );
  }
  return (
    <div
      class={["field", p.type === "checkbox" && "field--checkbox", p.full && "field--full", p.error && "field--invalid"]
        .filter(Boolean)
        .join(" ")}
    >
      <label class="field__label" for={id}>
        {p.label}
        {p.required && (
          <span class="field__required" aria-hidden="true">
            {" "}
            *
          </span>
        )}
      </label>
      {control}
      {p.hint && (
        <p class="field__hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      )}
      {p.error && (
        <p class="field__error" id={`${id}-error`} role="alert">
          {p.error}
        </p>
      )}
    </div>
  );
}
