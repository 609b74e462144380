import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compileErrors, validate } from '@readme/openapi-parser';
import { lint, loadConfig } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentText } from '../src/platform/http/openapi';
import { createTestServer, type TestServer } from './harness';

/**
 * docs/openapi.json is the API's contract under review: it must be exactly what the server
 * serves, valid OpenAPI, and clean under Redocly's recommended rules (redocly.yaml). A route
 * added or changed without regenerating it fails here, so the change shows up as a diff.
 */
const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';
const root = path.resolve(import.meta.dirname, '../../..');
const committedPath = path.join(root, 'docs/openapi.json');

describe('the committed OpenAPI document', () => {
  let server: TestServer;
  let served: string;
  const committed = readFileSync(committedPath, 'utf8');

  beforeAll(async () => {
    server = await createTestServer('pglite');
    const res = await server.anonymous.get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    served = documentText(res.json());
  });
  afterAll(async () => {
    await server.close();
  });

  it('is the document the server serves', () => {
    // Not toEqual on 50 000 lines: the message says what to do, `git diff` shows what changed.
    const stale = served !== committed;
    expect(
      stale ? firstDifference(committed, served) : '',
      'docs/openapi.json differs from what the server serves: run `npm run openapi` and review the diff',
    ).toBe('');
  });

  it('is valid OpenAPI', async () => {
    const result = await validate(JSON.parse(committed));
    expect(result.valid ? '' : compileErrors(result)).toBe('');
  });

  it("passes Redocly's recommended rules with no error and no warning", async () => {
    const config = await loadConfig({ configPath: path.join(root, 'redocly.yaml') });
    const problems = (await lint({ ref: committedPath, config }))
      .map((problem) => config.addProblemToIgnore(problem))
      .filter((problem) => !problem.ignored);
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('summarises every operation in English', () => {
    const unsummarised = operationsOf(committed).filter((op) => /^(GET|POST|PUT|PATCH|DELETE) \//.test(op.summary));
    expect(
      unsummarised.map((op) => `${op.method.toUpperCase()} ${op.url}`),
      'operations named only by method and path: add their summary to apps/server/src/modules/summaries.ts',
    ).toEqual([]);
  });

  it('documents what each operation answers to a first probe: an unknown id, an empty body, a bad token', async () => {
    const admin = await server.signIn('admin');
    const undocumented: string[] = [];
    for (const op of operationsOf(committed).filter((o) => o.url.startsWith('/api/v1/'))) {
      // Signing out would end the session the probe runs in.
      if (op.url === '/api/v1/auth/logout') continue;
      const method = op.method.toUpperCase() as 'GET';
      const url = op.url.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'year' ? '2027' : UNKNOWN_ID));
      const body = method === 'GET' || method === ('DELETE' as string) ? undefined : {};
      for (const [who, res] of [
        ['admin', await admin.request(method, url, body)],
        ['bad token', await server.anonymous.request(method, url, body, { authorization: 'Bearer slt_unknown' })],
      ] as const) {
        const status = String(res.statusCode);
        if (!status.startsWith('2') && !op.statuses.includes(status))
          undocumented.push(`${op.method.toUpperCase()} ${op.url} (${who}) → ${status} ${res.body.slice(0, 80)}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('tells every client what each operation can fail with', () => {
    const operations = operationsOf(committed);
    const api = operations.filter((op) => op.url.startsWith('/api/v1/'));
    expect(api.length).toBeGreaterThan(200);
    // Every API route authenticates and reads the database; one with an id in its path can miss.
    expect(api.filter((op) => !op.statuses.includes('401') || !op.statuses.includes('503'))).toEqual([]);
    expect(api.filter((op) => op.url.includes('{') && !op.statuses.includes('404'))).toEqual([]);
  });
});

function operationsOf(text: string) {
  const doc = JSON.parse(text) as { paths: Record<string, Record<string, { summary: string; responses: object }>> };
  return Object.entries(doc.paths).flatMap(([url, item]) =>
    Object.entries(item).map(([method, op]) => ({
      url,
      method,
      summary: op.summary,
      statuses: Object.keys(op.responses),
    })),
  );
}

function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `first difference at line ${at + 1}: committed ${JSON.stringify(a[at])}, served ${JSON.stringify(b[at])}`;
}
