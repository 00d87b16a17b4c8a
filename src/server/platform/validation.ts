import { Stream } from 'node:stream';
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, preValidationHookHandler } from 'fastify';
import { validationFailed } from './errors.js';
import { FORMATS } from '../../common/formats.js';

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
  // The same rules the pages check before sending (src/common/formats.ts).
  for (const [name, validate] of Object.entries(FORMATS)) ajv.addFormat(name, { type: 'string', validate });
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
  // Compiled on a route's first request, not at start-up: compiling every route's schemas was a
  // third of a restart's CPU.
  app.setValidatorCompiler(({ schema, httpPart }) =>
    onFirstCall(() => (httpPart === 'body' ? body : text).compile(schema)),
  );
  // PostgreSQL cannot store U+0000 in text: refused here, for every field of every route that takes
  // input (a body, or declared params or query); a route without any, like the pings, skips the hook.
  const refuseNul: preValidationHookHandler = (request, _reply, done) => {
    const field = nulAt(request.params, '') ?? nulAt(request.query, '') ?? nulAt(request.body, '');
    done(
      field === undefined
        ? undefined
        : validationFailed(field || 'body', 'NUL_CHARACTER', 'must not contain the character U+0000'),
    );
  };
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const schema = route.schema ?? {};
    const input =
      methods.some((m) => m !== 'GET' && m !== 'HEAD') ||
      schema.params !== undefined ||
      schema.querystring !== undefined ||
      route.url.includes(':') ||
      route.url.includes('*');
    if (!input) return;
    const own = route.preValidation;
    route.preValidation =
      own === undefined ? [refuseNul] : [refuseNul, ...(Array.isArray(own) ? own : [own])];
  });
}

type Validate = ValidateFunction;

/**
 * A validator that compiles on its first call. Fastify reads `errors` after a call, and passes the
 * parent object (for coercing a root value) to functions that have a `schemaEnv`, as Ajv's do.
 */
function onFirstCall(compile: () => Validate) {
  let compiled: Validate | undefined;
  const validate = Object.assign(
    (data: unknown, context?: Parameters<ValidateFunction>[1]) => {
      compiled ??= compile();
      const valid = compiled(data, context);
      validate.errors = compiled.errors;
      return valid;
    },
    { errors: null as ValidateFunction['errors'], schemaEnv: true },
  );
  return validate;
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
