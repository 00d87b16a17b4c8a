import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { AppError, validationFailed } from '../../platform/errors.js';
import { FileUnreadable, type FileProblem } from './file-problems.js';

/** Limits of one upload: beyond them the file is refused with the line reached. */
export const IMPORT_LIMITS = { maxBytes: 20 * 1024 * 1024, maxRows: 100_000 };
/** Problems listed in an error; more are counted. */
const LISTED_PROBLEMS = 50;

/** A file that cannot be imported as it is: its problems with their lines and columns. */
export function fileInvalid(problems: FileProblem[], count: number): AppError {
  const first = problems[0]!;
  const status = first.code === 'FILE_TOO_LARGE' ? 413 : 422;
  return new AppError(
    status,
    status === 413 ? 'IMPORT_FILE_TOO_LARGE' : 'IMPORT_FILE_INVALID',
    `line ${first.line}${first.column ? `, column ${first.column}` : ''}: ${first.code}`,
    { problems: problems.slice(0, LISTED_PROBLEMS), problemCount: count, limits: IMPORT_LIMITS },
  );
}

/** The problems of a file as it is read: the first ones listed, all counted. */
export class ProblemList {
  readonly listed: FileProblem[] = [];
  count = 0;

  report(p: FileProblem) {
    if (this.listed.length < LISTED_PROBLEMS) this.listed.push(p);
    this.count++;
  }

  /** Runs a read, a problem that ends it reported as the others. */
  async reading(read: () => Promise<void>) {
    try {
      await read();
    } catch (err) {
      if (!(err instanceof FileUnreadable)) throw err;
      this.report(err.problem);
    }
  }

  throwIfAny() {
    if (this.count > 0) throw fileInvalid(this.listed, this.count);
  }
}

/** A CSV whose header matched nothing: the user says which column holds what. */
export const mappingRequired = (details: Record<string, unknown>) =>
  new AppError(422, 'IMPORT_MAPPING_REQUIRED', 'say which column holds what', details);

/** A mapping sent as JSON in the query, checked against its schema (422 naming the field). */
export function mappingOfQuery<T extends TSchema>(schema: T, text: string): Static<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw validationFailed('mapping', 'FORMAT', 'must be JSON');
  }
  if (!Value.Check(schema, parsed)) {
    const [first] = Value.Errors(schema, parsed);
    throw validationFailed(
      `mapping${first?.instancePath.replace(/\//g, '.') ?? ''}`,
      'INVALID',
      first?.message ?? 'is invalid',
    );
  }
  return parsed;
}

/** The route handler of an upload: the raw body read as a stream, the preview answered with 201. */
export function uploadHandler<Q>(service: {
  upload(userId: string, query: Q, body: AsyncIterable<Uint8Array>): Promise<unknown>;
}) {
  return async (request: FastifyRequest<{ Querystring: Q }>, reply: FastifyReply) =>
    reply
      .status(201)
      .send(
        await service.upload(
          request.auth.userId,
          request.query as Q,
          request.body as AsyncIterable<Uint8Array>,
        ),
      );
}
