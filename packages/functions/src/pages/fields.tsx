import type { FieldIssue } from '@pendamping/core/errors'
import { type Locale, translate } from '@pendamping/core/i18n'
import type { StandardSchemaV1 } from '@standard-schema/spec'
import type { Child } from 'hono/jsx'
import * as z from 'zod/mini'
import { coerce, formToObject } from '../api/middleware/form.ts'
import { toFieldIssues } from '../api/validation.ts'
import { DAYS, LANGUAGE_LABELS, WINDOWS } from './common.ts'

/** Field path (`business.phone`) → the message shown next to that field. */
export type FieldErrors = Record<string, string>

/** What a person typed, kept to fill the form again when it comes back with errors. */
export class Typed {
  constructor(readonly params: URLSearchParams = new URLSearchParams()) {}
  get(name: string): string {
    return this.params.get(name) ?? ''
  }
  all(name: string): string[] {
    return this.params.getAll(name)
  }
  has(name: string, value: string): boolean {
    return this.params.getAll(name).includes(value)
  }
}

/** The element id of a field path: `business.phone` → `f-business-phone`. */
export const fieldId = (path: string) => `f-${path.replace(/[.[\]]+/g, '-')}`

/** The first error at `path` or inside it (`availability` catches `availability.0.to`). */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  if (errors[path]) return errors[path]
  const inside = Object.keys(errors).find((key) => key.startsWith(`${path}.`))
  return inside ? errors[inside] : undefined
}

const GENERIC = new Set(['field.required', 'field.too_short', 'field.invalid_type', 'field.invalid_value'])

/**
 * Turns field issues (from the schema or from core's `ValidationError`) into messages in the page's
 * language; `plain` gives choice fields a sentence a person understands instead of "too short (1)".
 */
export function messagesOf(issues: FieldIssue[], locale: Locale, plain: Record<string, string> = {}) {
  const errors: FieldErrors = {}
  for (const issue of issues) {
    const own = Object.entries(plain).find(
      ([path]) => issue.path === path || issue.path.startsWith(`${path}.`),
    )
    const message = own && GENERIC.has(issue.key) ? own[1] : translate(locale, issue.key, issue.params)
    errors[issue.path] ??= message
  }
  return errors
}

/**
 * Reads a form post exactly as the API's form reader does (`formToObject` + `coerce`) and checks it
 * with the same schema the JSON API uses, so a page and `POST /v1/…` accept and refuse the same input.
 */
export function checkForm<Schema extends z.ZodMiniType>(
  schema: Schema,
  fields: URLSearchParams,
  locale: Locale,
  plain: Record<string, string> = {},
): { data: z.infer<Schema>; errors?: undefined } | { data?: undefined; errors: FieldErrors } {
  const object = formToObject(fields)
  if (!object) return { errors: { '': translate(locale, 'problem.malformed-body.detail') } }
  const input = coerce(object, schema as unknown as Parameters<typeof coerce>[1])
  const result = z.safeParse(schema, input)
  if (result.success) return { data: result.data }
  const issues = toFieldIssues(result.error.issues as unknown as StandardSchemaV1.Issue[], input)
  return { errors: messagesOf(issues, locale, plain) }
}

interface Described {
  hint?: string | undefined
  error?: string | undefined
  id: string
}

function describedBy({ hint, error, id }: Described) {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ')
  return ids || undefined
}

function Messages({ hint, error, id }: Described) {
  return (
    <>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="err" id={`${id}-err`}>
          {error}
        </p>
      ) : null}
    </>
  )
}

export interface TextFieldProps {
  name: string
  label: string
  value: string
  error?: string | undefined
  hint?: string | undefined
  type?: 'text' | 'tel' | 'email' | 'number'
  autocomplete?: string
  inputmode?: 'tel' | 'email' | 'numeric' | 'text'
  required?: boolean
  multiline?: boolean
  max?: number
  min?: number
}

/** A labelled text input (or textarea) with its hint and error tied to it for screen readers. */
export function TextField(props: TextFieldProps) {
  const id = fieldId(props.name)
  const common = {
    id,
    name: props.name,
    'aria-invalid': props.error ? 'true' : undefined,
    'aria-describedby': describedBy({ ...props, id }),
    'aria-required': props.required ? 'true' : undefined,
  }
  return (
    <div>
      <label for={id}>{props.label}</label>
      <Messages hint={props.hint} error={props.error} id={id} />
      {props.multiline ? (
        <textarea {...common} rows={4}>
          {props.value}
        </textarea>
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          value={props.value}
          autocomplete={props.autocomplete}
          inputmode={props.inputmode}
          min={props.min}
          max={props.max}
        />
      )}
    </div>
  )
}

export interface SelectProps {
  name: string
  label: string
  options: ReadonlyArray<readonly [value: string, label: string]>
  value: string
  error?: string | undefined
  hint?: string | undefined
  placeholder?: string
  disabled?: boolean
  autofocus?: boolean
}

export function Select(props: SelectProps) {
  const id = fieldId(props.name)
  return (
    <div>
      <label for={id}>{props.label}</label>
      <Messages hint={props.hint} error={props.error} id={id} />
      <select
        id={id}
        name={props.name}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy({ ...props, id })}
        disabled={props.disabled}
        autofocus={props.autofocus}
      >
        {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
        {props.options.map(([value, label]) => (
          <option value={value} selected={value === props.value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  )
}

export interface ChoicesProps {
  name: string
  legend: string
  type: 'checkbox' | 'radio'
  options: ReadonlyArray<readonly [value: string, label: string]>
  chosen: string[]
  error?: string | undefined
  hint?: string | undefined
}

/** Checkboxes or radios in a fieldset: the legend names the question, each label its choice. */
export function Choices(props: ChoicesProps) {
  const id = fieldId(props.name)
  return (
    <fieldset id={id} aria-describedby={describedBy({ ...props, id })}>
      <legend>{props.legend}</legend>
      <Messages hint={props.hint} error={props.error} id={id} />
      {props.options.map(([value, label], index) => (
        <label>
          <input
            type={props.type}
            name={props.name}
            value={value}
            id={`${id}-${index}`}
            checked={props.chosen.includes(value)}
            aria-invalid={props.error ? 'true' : undefined}
          />
          <span>{label}</span>
        </label>
      ))}
    </fieldset>
  )
}

/** The list of what to fix, at the top, each linking to its field. */
export function ErrorSummary(props: {
  errors: FieldErrors
  labels: Record<string, string>
  title: string
  /** Where a field's link goes when its inputs are not named after its path (`availability` → the days). */
  anchors?: Record<string, string>
}) {
  const entries = Object.entries(props.errors)
  if (entries.length === 0) return null
  const owner = (path: string) =>
    Object.keys(props.labels).find((field) => path === field || path.startsWith(`${field}.`)) ?? path
  const seen = new Set<string>()
  const items: Child[] = []
  for (const [path, message] of entries) {
    const field = owner(path)
    if (seen.has(field)) continue
    seen.add(field)
    items.push(
      <li>
        <a href={`#${props.anchors?.[field] ?? fieldId(field)}`}>
          {props.labels[field] ?? field}: {message}
        </a>
      </li>,
    )
  }
  return (
    <div class="summary" id="kesalahan" tabindex={-1}>
      <h2>{props.title}</h2>
      <ul>{items}</ul>
    </div>
  )
}

/**
 * The consent checkbox: one sentence on what the data is for, with a link to the privacy notice
 * (UU PDP: consent bound to a purpose, recorded with the submission).
 */
export function ConsentField(props: {
  locale: Locale
  typed: Typed
  errors: FieldErrors
  /** What the data is used for, ending where the link to the notice follows. */
  purpose: { id: string; en: string }
}) {
  const { locale, typed, errors } = props
  const error = errors['consent.accepted']
  return (
    <>
      {error ? (
        <p class="err" id="f-consent-accepted-err">
          {error}
        </p>
      ) : null}
      <p>
        <input
          type="checkbox"
          name="consent.accepted"
          value="true"
          id={fieldId('consent.accepted')}
          checked={typed.get('consent.accepted') === 'true'}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'f-consent-accepted-err' : undefined}
        />{' '}
        <label for={fieldId('consent.accepted')} style="display:inline;font-weight:400">
          {props.purpose[locale]}
          <a href={locale === 'en' ? '/en/privacy' : '/privasi'}>
            {locale === 'en' ? 'privacy notice' : 'pemberitahuan privasi'}
          </a>
          {locale === 'en' ? ' says.' : '.'}
        </label>
      </p>
    </>
  )
}

/** The languages someone can be helped in (`languages`). */
export function LanguageChoices(props: {
  locale: Locale
  legend: string
  typed: Typed
  errors: FieldErrors
}) {
  const { locale, typed, errors } = props
  return (
    <Choices
      type="checkbox"
      name="languages"
      legend={props.legend}
      options={Object.entries(LANGUAGE_LABELS).map(([code, label]) => [code, label[locale]] as const)}
      chosen={typed.all('languages')}
      error={errorAt(errors, 'languages')}
    />
  )
}

/**
 * Weekly availability as days × time windows, the fields `availabilityFields` turns into the schema's
 * `availability` slots; its errors show on the days.
 */
export function AvailabilityChoices(props: {
  locale: Locale
  legends: { days: string; windows: string }
  typed: Typed
  errors: FieldErrors
}) {
  const { locale, typed, errors, legends } = props
  return (
    <>
      <Choices
        type="checkbox"
        name="days"
        legend={legends.days}
        options={Object.entries(DAYS).map(([day, label]) => [day, label[locale]] as const)}
        chosen={typed.all('days')}
        error={errorAt(errors, 'availability')}
      />
      <Choices
        type="checkbox"
        name="windows"
        legend={legends.windows}
        options={Object.entries(WINDOWS).map(([window, label]) => [window, label[locale]] as const)}
        chosen={typed.all('windows')}
      />
    </>
  )
}
