import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileErrors, validate } from '@readme/openapi-parser';
import { API_TYPES_FILE, renderApiTypes } from '../../scripts/api-types.js';
import { buildTestApp, register, type TestApp } from '../support/app.js';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
}

describe('the OpenAPI document', () => {
  let t: TestApp;
  let document: { openapi: string; paths: Record<string, Record<string, Operation>> };
  before(async () => {
    t = await buildTestApp();
    document = (await t.app.inject({ url: '/docs/json' })).json();
  });
  after(() => t.close());

  it('is OpenAPI 3.1 that a strict validator accepts with no error and no warning', async () => {
    assert.equal(document.openapi, '3.1.0');
    // Every rule of the validator is at its default level, "error".
    const result = await validate(structuredClone(document) as unknown as Parameters<typeof validate>[0]);
    assert.ok(result.valid, result.valid ? '' : compileErrors(result));
    assert.deepEqual(result.warnings, []);
  });

  it('describes the error answer of every operation in the app error shape', () => {
    const missing: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const errors = Object.entries(operation.responses).filter(
          ([status]) => status.startsWith('4') || status.startsWith('5'),
        );
        const described = errors.some(
          ([, r]) => r.content?.['application/json']?.schema.$ref === '#/components/schemas/ErrorResponse',
        );
        if (!described) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('an invalid request answers in the shape the document gives for a 422', async () => {
    const session = await register(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/budget/accounts',
      headers: session.auth,
      payload: { name: 'Cash', kind: 'cash', openingBalance: '1e3' },
    });
    assert.equal(res.statusCode, 422);
    const { error } = res.json();
    assert.equal(error.code, 'VALIDATION_FAILED');
    assert.equal(typeof error.message, 'string');
    assert.equal(error.details.fields[0].field, 'openingBalance');
  });

  it("the pages' generated types are those of the current document (npm run gen:api)", async () => {
    const current = readFileSync(API_TYPES_FILE, 'utf8');
    assert.ok(
      current === (await renderApiTypes(document)),
      'src/web/lib/api-types.gen.ts is stale: run npm run gen:api',
    );
  });
});
