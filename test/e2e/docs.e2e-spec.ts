import { createTestApp, TestApp } from '../support/app';

describe('OpenAPI document and health', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(() => t.close());

  it('serves the document with every route and every DTO property described', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/alerts',
      '/api/alerts/scan',
      '/api/alerts/{id}/ack',
      '/api/audit',
      '/api/auth/login',
      '/api/auth/logout',
      '/api/auth/me',
      '/api/auth/password',
      '/api/auth/refresh',
      '/api/dashboard',
      '/api/funding/summary',
      '/api/health',
      '/api/imports/projects',
      '/api/imports/projects/problems.xlsx',
      '/api/imports/template.xlsx',
      '/api/jobs/{id}',
      '/api/jobs/{id}/result',
      '/api/plans',
      '/api/plans/{id}',
      '/api/plans/{id}/progress',
      '/api/projects',
      '/api/projects/export.xlsx',
      '/api/projects/totals',
      '/api/projects/{id}',
      '/api/projects/{id}/archive',
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
      '/api/reports/calendar',
      '/api/reports/monthly',
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

  it('reports health with the database checked', async () => {
    const r = await t.http().get('/api/health').expect(200);
    expect(r.body).toEqual({ status: 'ok', database: 'up', dialect: t.db.dialect });
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
