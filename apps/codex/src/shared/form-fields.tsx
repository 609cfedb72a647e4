import { Field, type FieldErrors } from "@hivematrix/lib/ui";
import type { NamedFormField } from "./fields.ts";

type FieldProps = Parameters<typeof Field>[0];

/**
 * A form's fields as their entity's field spec describes them, with the values and errors to
 * show; `extra` adds what only this form knows (required on create, a select's choices).
 */
export function FormFields({
  fields,
  values,
  errors,
  extra = {},
}: {
  fields: NamedFormField[];
  values: Record<string, string>;
  errors: FieldErrors;
  extra?: Record<string, Partial<FieldProps>>;
}) {
  return (
    <>
      {fields.map(({ name, list: _list, options, ...form }) =>
        form.type === "checkbox" ? (
          <Field name={name} {...form} value={values[name] === "on"} {...extra[name]} />
        ) : (
          <Field
            name={name}
            {...form}
            options={options && [...options]}
            value={values[name] ?? ""}
            error={errors[name]}
            {...extra[name]}
          />
        ),
      )}
    </>
  );
}
