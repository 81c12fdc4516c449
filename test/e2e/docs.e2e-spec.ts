import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestApp, TestApp } from '../support/app';

describe('OpenAPI document and health', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(() => t.close());

  it('serves the document with every route and every DTO property described', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/admin/calendar/{year}',
      '/api/alerts',
      '/api/alerts/scan',
      '/api/alerts/{id}/ack',
      '/api/attachments/{id}/file',
      '/api/attachments/{id}/thumbnail',
      '/api/attachments/{id}/withdraw',
      '/api/audit',
      '/api/auth/login',
      '/api/auth/logout',
      '/api/auth/me',
      '/api/auth/password',
      '/api/auth/refresh',
      '/api/dashboard',
      '/api/deliveries',
      '/api/funding/summary',
      '/api/health',
      '/api/imports/projects',
      '/api/imports/projects/problems.xlsx',
      '/api/imports/template.xlsx',
      '/api/jobs/{id}',
      '/api/jobs/{id}/result',
      '/api/map',
      '/api/map/boundaries',
      '/api/map/boundary',
      '/api/map/boundary/{regionId}',
      '/api/plans',
      '/api/plans/{id}',
      '/api/plans/{id}/progress',
      '/api/projects',
      '/api/projects/export.xlsx',
      '/api/projects/ledger.xlsx',
      '/api/projects/totals',
      '/api/projects/{id}',
      '/api/projects/{id}/archive',
      '/api/projects/{id}/attachments',
      '/api/projects/{id}/budget-revisions',
      '/api/projects/{id}/budget-revisions/{revisionId}/withdraw',
      '/api/projects/{id}/funding',
      '/api/projects/{id}/funding/{lineId}',
      '/api/projects/{id}/history',
      '/api/projects/{id}/milestones',
      '/api/projects/{id}/milestones/{milestoneId}',
      '/api/projects/{id}/payments',
      '/api/projects/{id}/payments/reference-check',
      '/api/projects/{id}/payments/{paymentId}',
      '/api/projects/{id}/progress',
      '/api/projects/{id}/progress/{reportId}/withdraw',
      '/api/projects/{id}/unarchive',
      '/api/regions',
      '/api/regions/{id}',
      '/api/regions/{id}/channels',
      '/api/regions/{id}/channels/test',
      '/api/reports/calendar',
      '/api/reports/monthly',
      '/api/shared/{token}',
      '/api/submissions',
      '/api/submissions/checks',
      '/api/submissions/remind',
      '/api/submissions/{id}',
      '/api/submissions/{id}/approve',
      '/api/submissions/{id}/reopen',
      '/api/submissions/{id}/return',
      '/api/submissions/{id}/withdraw',
      '/api/submissions/{id}/workbook',
      '/api/users',
      '/api/users/{id}',
      '/api/users/{id}/reset-password',
    ]);
    for (const [path, ops] of Object.entries<Record<string, { summary?: string }>>(doc.paths)) {
      for (const [method, op] of Object.entries(ops))
        expect(`${method} ${path}: ${op.summary ?? ''}`).toMatch(/: \S/);
    }
    const schemas = doc.components.schemas as Record<
      string,
      {
        properties: Record<
          string,
          { description?: string; $ref?: string; allOf?: unknown; type?: string }
        >;
        required?: string[];
      }
    >;
    for (const dto of [
      'CreateProjectDto',
      'UpdateProjectDto',
      'SeatsDto',
      'InitialMilestoneDto',
      'CreateProgressDto',
      'CreateMilestoneDto',
      'UpdateMilestoneDto',
      'ArchiveProjectDto',
      'LoginDto',
      'CreateUserDto',
      'UpdateUserDto',
      'ResetPasswordDto',
      'CreateBudgetRevisionDto',
      'CreateFundingLineDto',
      'UpdateFundingLineDto',
      'CreatePaymentDto',
      'UpdatePaymentDto',
      'DeleteVersionedDto',
      'AckDto',
      'WithdrawDto',
      'ImportProjectsDto',
      'CreatePlanDto',
      'UpdatePlanDto',
      'PlanTargetDto',
      'SubmitDto',
      'TransitionDto',
      'ReasonDto',
      'RemindDto',
      'ChannelDto',
      'PutChannelsDto',
      'TestChannelDto',
    ]) {
      expect(schemas[dto]).toBeDefined();
      const undescribed = Object.entries(schemas[dto].properties)
        .filter(([, s]) => !s.description && !s.$ref && !s.allOf)
        .map(([prop]) => `${dto}.${prop}`);
      expect(undescribed).toEqual([]);
    }
    expect(schemas.CreateProjectDto.required).toEqual(expect.arrayContaining(['name', 'regionId']));
    expect(schemas.UpdateProjectDto.required).toEqual(['version']);
    await t.http().get('/api/docs').expect(200);
  });

  it('declares every answer: each operation has a 2xx response with a schema or a file', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    const undeclared: string[] = [];
    for (const [path, ops] of Object.entries<
      Record<
        string,
        { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }
      >
    >(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const ok = Object.entries(op.responses).filter(([code]) => /^2/.test(code));
        if (!ok.length || ok.some(([, r]) => !Object.values(r.content ?? {}).some((c) => c.schema)))
          undeclared.push(`${method} ${path}`);
      }
    }
    expect(undeclared).toEqual([]);
    const schemas = doc.components.schemas;
    // the summary's money is nullable where the server answers null (未测算)
    expect(schemas.ProjectMoneyView.properties.budgetWan.nullable).toBe(true);
    expect(schemas.ProjectMoneyView.properties.gapWan.nullable).toBe(true);
    expect(schemas.SummaryFigures.properties.budgetWan.nullable).toBe(true);
    expect(schemas.ProjectFundingView.properties.summary.$ref).toBe(
      '#/components/schemas/ProjectMoneyView',
    );
    expect(
      doc.paths['/api/reports/monthly'].get.responses['202'].content['application/json'].schema,
    ).toEqual({ $ref: '#/components/schemas/JobAcceptedView' });
  });

  it('has the web’s generated API types up to date (else run `npm run api:types`)', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'api-doc-')), 'doc.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    const rendered = execFileSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'scripts/api-types-render.ts', file],
      { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8' },
    );
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    // a stale file fails here with the lines that differ
    const committed = path.join(__dirname, '..', '..', 'web', 'src', 'api-schema.d.ts');
    expect(fs.readFileSync(committed, 'utf8')).toEqual(rendered);
  });

  it('answers an unknown route with a 404 in the error shape', async () => {
    const r = await t.http().get('/api/nothing-here').expect(404);
    expect(r.body).toEqual({
      statusCode: 404,
      code: 'ROUTE_NOT_FOUND',
      message: '接口不存在',
      errors: [],
    });
  });
});
