import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// The pages' catalogues run in the browser; here with just enough of one.
(globalThis as { document?: unknown }).document = { documentElement: {} };
const { ApiError } = await import('../../src/web/lib/api.js');
const { errorText, fieldErrors } = await import('../../src/web/lib/forms.js');
const { hasMessage, setLocale } = await import('../../src/web/lib/i18n.js');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [path.join(dir, e.name)]
        : [],
  );
}
const server = sources('src/server').map((file) => ({ file, text: readFileSync(file, 'utf8') }));

/** Every error code the server can answer with, read from its sources. */
function serverCodes(): Set<string> {
  const codes = new Set<string>();
  for (const { file, text } of server) {
    // The error handler's own table holds the codes of fields, not of answers.
    if (file.endsWith(path.join('platform', 'errors.ts'))) continue;
    for (const m of text.matchAll(/new AppError\(|notFound\(|code: '/g)) {
      const call = text.slice(m.index, m.index + 400).split(/\);|;\n/)[0]!;
      for (const lit of call.matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g)) codes.add(lit[1]!);
      // notFound('Broker account') → BROKER_ACCOUNT_NOT_FOUND
      const what = /^notFound\('([A-Z][a-z][^']*)'\)/.exec(call)?.[1];
      if (what) codes.add(`${what.toUpperCase().replace(/[^A-Z]+/g, '_')}_NOT_FOUND`);
    }
  }
  // Answers the error handler gives for the framework's failures.
  for (const code of [
    'NOT_FOUND',
    'BAD_REQUEST',
    'BAD_URL',
    'URI_TOO_LONG',
    'INVALID_JSON',
    'BODY_TOO_LARGE',
  ])
    codes.add(code);
  for (const code of ['UNSUPPORTED_MEDIA_TYPE', 'RATE_LIMITED', 'INTERNAL', 'SERVICE_UNAVAILABLE'])
    codes.add(code);
  return codes;
}

/** The field codes services raise: `validationFailed(field, 'CODE', …)` and the loan terms' errors. */
function fieldCodes(): Set<string> {
  const codes = new Set<string>();
  for (const { text } of server)
    for (const m of text.matchAll(
      /(?:validationFailed|LoanTermsError|fail)\(\s*(?:`[^`]*`|'[^']*'|[\w.]+),\s*'([A-Z][A-Z0-9_]*)'/g,
    ))
      codes.add(m[1]!);
  return codes;
}

describe('error messages on the pages', () => {
  it('every error code of the server is said in Russian and English', () => {
    const codes = serverCodes();
    assert.ok(codes.size > 50, `codes found: ${codes.size}`);
    for (const locale of ['ru', 'en'] as const) {
      setLocale(locale);
      const missing = [...codes].filter((code) => !hasMessage(`error.${code}`));
      assert.deepEqual(missing, [], `${locale}: no message for`);
    }
  });

  it('every field code a service raises is said in Russian and English', () => {
    const codes = fieldCodes();
    assert.ok(codes.size > 25, `field codes found: ${codes.size}`);
    for (const locale of ['ru', 'en'] as const) {
      setLocale(locale);
      const missing = [...codes].filter((code) => !hasMessage(`field.${code}`));
      assert.deepEqual(missing, [], `${locale}: no message for`);
    }
  });

  it('the Russian page shows no English text of the server', () => {
    setLocale('ru');
    const cases = [
      new ApiError(422, 'VALIDATION_FAILED', 'name: must NOT have fewer than 1 characters', {
        fields: [{ field: 'name', code: 'BLANK', message: 'must NOT have fewer than 1 characters' }],
      }),
      new ApiError(409, 'CATEGORY_NAME_TAKEN', 'an active category of this kind already has this name'),
      new ApiError(422, 'WRONG_PASSWORD', 'The current password is wrong'),
      new ApiError(500, 'INTERNAL', 'Internal error; request id 1'),
      new ApiError(418, 'SOMETHING_NEW', 'A code the page does not know yet'),
      new ApiError(404, 'THING_NOT_FOUND', 'Thing not found'),
      new ApiError(422, 'VALIDATION_FAILED', 'amount: must be a decimal string', {
        fields: [
          { field: 'amount', code: 'FORMAT', params: { format: 'money' }, message: 'must be a decimal' },
        ],
      }),
      new Error('network'),
    ];
    for (const err of cases) {
      const text = errorText(err);
      assert.match(text, /[а-яё]/i, text);
      assert.doesNotMatch(text, /must|characters|already has|wrong|Internal|not found|does not know/, text);
    }
    assert.equal(errorText(cases[0]), 'Название: не может быть пустым');
    assert.equal(errorText(cases[2]), 'Текущий пароль введён неверно.');
    assert.deepEqual(fieldErrors(cases[6]), { amount: 'нужно: сумма, например 1234,50' });
    setLocale('en');
    assert.equal(errorText(cases[1]), 'An active category of this kind already has this name.');
    assert.equal(errorText(cases[0]), 'Name: must not be empty');
  });
});
