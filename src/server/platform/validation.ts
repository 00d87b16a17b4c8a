import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { isDecimal } from '../../common/money.js';
import { isCalendarDate, isMonth } from '../../common/dates.js';

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
  ajv.addFormat('money', { type: 'string', validate: (s: string) => isDecimal(s, 2) && s.length <= 24 });
  ajv.addFormat('decimal', { type: 'string', validate: (s: string) => isDecimal(s, 9) && s.length <= 32 });
  ajv.addFormat('date', { type: 'string', validate: isCalendarDate });
  ajv.addFormat('month', { type: 'string', validate: isMonth });
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
}
