import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_INTEGER_DIGITS, MAX_MONEY } from '../../common/money.js';
import { isDatabaseUnavailable } from './db.js';

/** What a 503 asks the client to wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

/** The one error type of the app: a stable UPPER_SNAKE code, an HTTP status and a human message. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string, code = `${what.toUpperCase().replace(/[^A-Z]+/g, '_')}_NOT_FOUND`) =>
  new AppError(404, code, `${what} not found`);

/**
 * A 422 naming one field, with the stable code (and parameters) pages say it with in their
 * language; the message is the English wording for API clients.
 */
export const validationFailed = (
  field: string,
  code: string,
  message: string,
  params?: Readonly<Record<string, string>>,
) =>
  new AppError(422, 'VALIDATION_FAILED', `${field}: ${message}`, {
    fields: [{ field, code, ...(params === undefined ? {} : { params }), message }],
  });

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

const FORMAT_MESSAGES: Record<string, string> = {
  money: `must be a decimal string with at most 2 decimal places, e.g. "1234.50", and at most ${MAX_MONEY}`,
  decimal: `must be a decimal string with at most 9 decimal places, e.g. "12.345", and at most ${MAX_INTEGER_DIGITS} digits before the point`,
  date: 'must be a date YYYY-MM-DD from 1970-01-01 to 2100-12-31',
  currency: 'must be an ISO 4217 currency code, e.g. RUB',
  'date-time': 'must be an ISO 8601 timestamp',
  email: 'must be an e-mail address',
  uuid: 'must be an id (UUID)',
  month: 'must be a month YYYY-MM from 1970-01 to 2100-12',
};

function fieldOf(issue: AjvIssue, part: string | undefined): string {
  const base = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const extra =
    issue.keyword === 'required'
      ? String(issue.params.missingProperty)
      : issue.keyword === 'additionalProperties'
        ? String(issue.params.additionalProperty)
        : '';
  const field = [base, extra].filter(Boolean).join('.');
  return field || part || 'body';
}

/** A schema keyword's problem as a field code and its parameters (the limit, the format). */
function codeOf(issue: AjvIssue): { code: string; params?: Record<string, unknown> } {
  const p = issue.params;
  switch (issue.keyword) {
    case 'required':
      return { code: 'REQUIRED' };
    case 'additionalProperties':
      return { code: 'NOT_ACCEPTED' };
    case 'format':
      return { code: 'FORMAT', params: { format: p.format } };
    case 'minLength':
      return Number(p.limit) <= 1 ? { code: 'BLANK' } : { code: 'TOO_SHORT', params: { limit: p.limit } };
    case 'maxLength':
      return { code: 'TOO_LONG', params: { limit: p.limit } };
    case 'minimum':
    case 'exclusiveMinimum':
      return { code: 'TOO_SMALL', params: { limit: p.limit } };
    case 'maximum':
    case 'exclusiveMaximum':
      return { code: 'TOO_LARGE', params: { limit: p.limit } };
    case 'minItems':
      return { code: 'TOO_FEW', params: { limit: p.limit } };
    case 'maxItems':
      return { code: 'TOO_MANY', params: { limit: p.limit } };
    case 'enum':
    case 'const':
    case 'anyOf':
    case 'oneOf':
      return { code: 'NOT_ALLOWED' };
    case 'type':
      return { code: 'TYPE', params: { type: p.type } };
    case 'pattern':
      return { code: 'FORMAT', params: { format: 'pattern' } };
    default:
      return { code: 'INVALID' };
  }
}

function messageOf(issue: AjvIssue): string {
  switch (issue.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not an accepted field';
    case 'format':
      return FORMAT_MESSAGES[String(issue.params.format)] ?? `must be ${String(issue.params.format)}`;
    default:
      return issue.message ?? 'is invalid';
  }
}

/**
 * Errors the framework answers before any route or hook runs (a badly encoded URL, a path
 * parameter over the length limit): the same shape and headers as every other error.
 */
export function frameworkErrors(headers: Record<string, string>) {
  return (err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
    const status = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
    void reply
      .headers(headers)
      .status(status)
      .send({
        error: {
          code: status === 414 ? 'URI_TOO_LONG' : 'BAD_URL',
          message: status === 414 ? 'A part of the path is too long' : 'The address is not validly encoded',
        },
      });
  };
}

/** Maps every error to `{ error: { code, message, details } }`; 5xx text is hidden and logged. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      return reply
        .status(err.status)
        .send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    const fe = err as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
    if (fe.validation) {
      const fields = fe.validation.map((issue) => ({
        field: fieldOf(issue, fe.validationContext),
        ...codeOf(issue),
        message: messageOf(issue),
      }));
      const first = fields[0];
      return reply.status(422).send({
        error: {
          code: 'VALIDATION_FAILED',
          message: first ? `${first.field}: ${first.message}` : 'invalid request',
          details: { fields },
        },
      });
    }
    const status = fe.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code =
        status === 404
          ? 'NOT_FOUND'
          : status === 414
            ? 'URI_TOO_LONG'
            : status === 413
              ? 'BODY_TOO_LARGE'
              : status === 415
                ? 'UNSUPPORTED_MEDIA_TYPE'
                : status === 429
                  ? 'RATE_LIMITED'
                  : fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
                    ? 'INVALID_JSON'
                    : 'BAD_REQUEST';
      return reply.status(status).send({ error: { code, message: fe.message } });
    }
    if (isDatabaseUnavailable(err)) {
      // Not the client's fault and not a lost session: the same request may work in a moment.
      request.log.warn({ err: err.message }, 'database unavailable');
      return reply
        .status(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send({
          error: { code: 'SERVICE_UNAVAILABLE', message: 'The database is not answering; try again shortly' },
        });
    }
    request.log.error({ err }, 'unexpected error');
    return reply
      .status(500)
      .send({ error: { code: 'INTERNAL', message: `Internal error; request id ${String(request.id)}` } });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: { code: 'NOT_FOUND', message: `${request.method} ${request.url.split('?')[0]} not found` },
    }),
  );
}
