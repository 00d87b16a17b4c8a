import { Stream } from 'node:stream';
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { validationFailed } from './errors.js';
import { isDecimal } from '../../common/money.js';
import { isCalendarDate, isMonth } from '../../common/dates.js';
import { isCurrencyCode } from '../../common/currencies.js';

/** Days a request may name: a typo like 1900 or 2100 is refused, not stored. */
const DATE_WINDOW = { from: '1970-01-01', to: '2100-12-31' } as const;
const inWindow = (day: string) => day >= DATE_WINDOW.from && day <= DATE_WINDOW.to;

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({
    allErrors: false,
    // Unknown fields are an error (no mass assignment), never silently dropped.
    removeAdditional: false,
    useDefaults: true,
    strict: false,
    ...options,
  });
  addFormats.default(ajv, ['email', 'uuid', 'date-time', 'uri']);
  ajv.addFormat('money', { type: 'string', validate: (s: string) => isDecimal(s, 2) });
  ajv.addFormat('decimal', { type: 'string', validate: (s: string) => isDecimal(s, 9) });
  ajv.addFormat('date', { type: 'string', validate: (s: string) => isCalendarDate(s) && inWindow(s) });
  ajv.addFormat('month', {
    type: 'string',
    validate: (s: string) => isMonth(s) && inWindow(`${s}-01`),
  });
  ajv.addFormat('currency', { type: 'string', validate: isCurrencyCode });
  ajv.addKeyword({ keyword: 'x-enum-labels' });
  return ajv;
}

/**
 * Bodies are validated as sent (a number is not silently turned into a string); query strings,
 * params and headers are text by nature and are coerced to the declared types.
 */
export function registerValidation(app: FastifyInstance): void {
  const body = makeAjv({ coerceTypes: false });
  const text = makeAjv({ coerceTypes: 'array' });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema));
  // PostgreSQL cannot store U+0000 in text: refused here, for every field of every route.
  app.addHook('preValidation', (request, _reply, done) => {
    const field = nulAt(request.params, '') ?? nulAt(request.query, '') ?? nulAt(request.body, '');
    done(
      field === undefined
        ? undefined
        : validationFailed(field || 'body', 'must not contain the character U+0000'),
    );
  });
}

/**
 * The dotted path of the first string (value or key) holding U+0000, if any. An uploaded file
 * arrives as a stream, read by its own route: it is not walked.
 */
function nulAt(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (typeof value !== 'object' || value === null || value instanceof Stream) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (key.includes('\0')) return at;
    const found = nulAt(item, at);
    if (found !== undefined) return found;
  }
  return undefined;
}
