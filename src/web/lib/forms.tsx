import { cloneElement, type ComponentChildren, type VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { toast } from '../components/toast.js';
import { ApiError } from './api.js';
import { isCalendarDate } from '../../common/dates.js';
import { formatProblem, type CheckedFormat } from '../../common/formats.js';
import { formatDate } from './format.js';
import './error-messages.js';
import { getLocale, hasMessage, t } from './i18n.js';

/** What people type for an amount ("1 234,50") as the API's decimal string ("1234.50"). */
export function toDecimal(input: string): string {
  return input.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
}

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

interface FieldProblem {
  field: string;
  code?: string;
  message: string;
  params?: Record<string, unknown>;
}

function problemsOf(err: ApiError): FieldProblem[] {
  const details = err.details as { fields?: FieldProblem[]; field?: string } | undefined;
  // A problem without a code of its own (a 409's field, say) is the answer's.
  if (details?.fields) return details.fields.map((f) => ({ ...f, code: f.code ?? err.code }));
  // A 404 or 409 that names a field of the request (an account that is not there, say).
  if (details?.field) return [{ field: details.field, code: err.code, message: err.message }];
  return [];
}

/** One field's problem in the page's language, from its code and parameters; never the API's English. */
export function fieldText(problem: Pick<FieldProblem, 'code' | 'params'>): string {
  const code = problem.code ?? 'INVALID';
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(problem.params ?? {})) {
    // Days are said the locale's way; other values as the server gives them.
    params[k] = typeof v === 'number' ? v : isCalendarDate(String(v)) ? formatDate(String(v)) : String(v);
  }
  if (code === 'FORMAT' && typeof problem.params?.format === 'string') {
    const format = `format.${problem.params.format}`;
    if (hasMessage(format)) return t('field.FORMAT.with', { format: t(format) });
  }
  if (hasMessage(`field.${code}`)) return t(`field.${code}`, params);
  if (code.endsWith('_NOT_FOUND')) return t('field.NOT_FOUND');
  if (hasMessage(`error.${code}`)) return t(`error.${code}`, params);
  return t('field.INVALID');
}

/**
 * Checks before sending, by the API's own rules: `{ field: [format, value] }` → the message for each
 * field whose value the server would refuse, in the page's language (the same text as its 422).
 */
export function formatErrors(fields: Record<string, [CheckedFormat, string]>): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [field, [format, value]] of Object.entries(fields)) {
    const problem = formatProblem(format, value);
    if (problem) found[field] = fieldText(problem);
  }
  return found;
}

/** Messages by field, in the page's language. */
export type FieldErrors = Record<string, string>;

/** The message for each field a 422 (or a 404/409 naming a field) gives, in the page's language. */
export function fieldErrors(err: unknown): FieldErrors {
  if (!(err instanceof ApiError)) return {};
  return Object.fromEntries(problemsOf(err).map((f) => [f.field, fieldText(f)]));
}

/**
 * The sentence to show for a failed request, in the page's language: by the answer's code, the
 * first field's problem for a 422, else by status. The API's own (English) text is never shown.
 */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const [first] = problemsOf(err);
    if (err.code === 'VALIDATION_FAILED' && first)
      return t('error.fieldIn', { field: fieldLabel(first.field), message: fieldText(first) });
    if (hasMessage(`error.${err.code}`)) return t(`error.${err.code}`, paramsOf(err.details));
    if (err.code.endsWith('_NOT_FOUND') || err.status === 404) return t('error.notFound');
    return err.status >= 500 ? t('error.status.5xx') : t('error.status.4xx', { code: err.code });
  }
  if (err instanceof TypeError || (err instanceof Error && err.message === 'network'))
    return t('error.network');
  const text = err instanceof Error ? err.message : String(err);
  // A Russian page shows no English it did not write itself.
  return getLocale() === 'ru' && !/[а-яё]/i.test(text) ? t('error.status.5xx') : text;
}

/** An answer's details as message parameters: their string and number values (a version, a table). */
function paramsOf(details: unknown): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  if (typeof details === 'object' && details !== null)
    for (const [k, v] of Object.entries(details))
      if (typeof v === 'string' || typeof v === 'number') params[k] = v;
  return params;
}

/** A field's name as the user knows it: `field.name.<last part>` when the catalogue has one. */
function fieldLabel(field: string): string {
  const last = field.split('.').pop() ?? field;
  return hasMessage(`label.${last}`) ? t(`label.${last}`) : last;
}

/** One saving: checks first, then the request, then what follows it. */
export interface Submission<T> {
  /** Problems found before sending (formatErrors and the form's own checks): nothing is sent while any. */
  check?: () => FieldErrors;
  send: () => Promise<T>;
  /** The fields the form shows, when not all it sends: a problem with any other is said as a failure. */
  fields?: string[];
  /** The toast after it went through. */
  success?: string | ((result: T) => string);
  done?: (result: T) => void;
  /**
   * The sentence for a failure that names no field, when the form has its own words for it;
   * undefined when the form has shown the failure in its own way.
   */
  explain?: (err: unknown) => string | undefined;
}

/**
 * The one way a page saves. Problems found before sending, and those a 422 (or a 404/409 naming a
 * field) gives, go next to their fields; a failure naming none of the fields the form shows is one
 * sentence (errorText), in a toast,
 * or in `problem` for a form that shows it in its own place (`inline`). Success is a toast, if given.
 */
export function useSubmit(options: { inline?: boolean } = {}) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string>();

  async function run<T>(s: Submission<T>): Promise<boolean> {
    const found = s.check?.() ?? {};
    setErrors(found);
    setProblem(undefined);
    if (Object.keys(found).length > 0) return false;
    setBusy(true);
    try {
      const result = await s.send();
      if (s.success !== undefined)
        toast.success(typeof s.success === 'string' ? s.success : s.success(result));
      s.done?.(result);
      return true;
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      if (!Object.keys(fields).some((f) => s.fields?.includes(f) ?? true)) {
        const text = (s.explain ?? errorText)(err);
        if (text === undefined) return false;
        if (options.inline) setProblem(text);
        else toast.error(text);
      }
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { busy, errors, setErrors, problem, run };
}

/**
 * A labelled field: the input (or select, textarea) given as its child gets the id, and while
 * there is an error, aria-invalid and aria-describedby pointing at the message under it.
 */
export function Field(props: {
  id: string;
  label: ComponentChildren;
  /** The problem: a message, or a message with an action in it. */
  error?: ComponentChildren;
  errorTestId?: string;
  class?: string;
  /** What follows the input inside the field: a list of suggestions, a hint. */
  after?: ComponentChildren;
  children: VNode<Record<string, unknown>>;
}) {
  const errorId = `${props.id}-error`;
  const own = props.children.props['aria-describedby'] as string | undefined;
  const input = cloneElement(props.children, {
    id: props.id,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': [own, props.error ? errorId : undefined].filter(Boolean).join(' ') || undefined,
  });
  return (
    <div class={props.class ? `field ${props.class}` : 'field'}>
      <label for={props.id}>{props.label}</label>
      {input}
      {props.after}
      {props.error && (
        <span class="field-error" id={errorId} data-testid={props.errorTestId}>
          {props.error}
        </span>
      )}
    </div>
  );
}
