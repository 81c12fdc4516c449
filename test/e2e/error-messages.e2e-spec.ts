import JSZip from 'jszip';
import { binary, createTestApp, regionIds, TestApp } from '../support/app';

/** Error answers a staffer understands (allowed values, ranges, waits, every bad field), and download names. */
describe('error messages a staffer understands, and download names', () => {
  let t: TestApp;
  let liannan: number;
  let projectId: number;

  beforeAll(async () => {
    t = await createTestApp();
    const regions = await regionIds(t);
    liannan = regions['连南瑶族自治县'];
    projectId = (await t.http().get(`/api/projects?regionId=${liannan}&pageSize=1`).expect(200))
      .body.items[0].id;
  });
  afterAll(() => t.close());

  it('an enum error lists the allowed values with their Chinese labels', async () => {
    const line = await t
      .http()
      .post(`/api/projects/${projectId}/funding`)
      .send({ source: 'lottery', committedWan: '1', committedOn: '2025-01-01' })
      .expect(400);
    expect(line.body.errors).toEqual([
      {
        path: 'source',
        code: 'NOT_IN_LIST',
        message:
          '须为以下之一：县级财政(county_budget)、市级财政(city_budget)、省级补助(provincial_subsidy)、中央预算内(central_budget)、地方政府专项债券(special_bond)、一般债券(general_bond)、捐赠及社会资金(donation)、其他(other)',
      },
    ]);
    const list = await t.http().get('/api/projects?status=planned,building').expect(400);
    expect(list.body.errors[0].message).toBe(
      '须为以下之一：谋划储备(planned)、前期工作(preparing)、在建(under_construction)、已竣工(completed)、已交付使用(in_use)、暂停(suspended)、取消(cancelled)',
    );
    const user = await t
      .http()
      .post('/api/users')
      .send({ username: 'x.y.z', password: 'Good-Pass-1', role: 'boss', regionId: liannan })
      .expect(400);
    expect(user.body.errors).toEqual([
      {
        path: 'role',
        code: 'NOT_IN_LIST',
        message:
          '须为以下之一：管理员(admin)、计财股(finance)、基建股(infrastructure)、只读用户(viewer)',
      },
    ]);
  });

  it('a range error states the range', async () => {
    const r = await t
      .http()
      .post(`/api/projects/${projectId}/progress`)
      .send({ reportedOn: '2025-01-01', status: 'preparing', progressPercent: 101 })
      .expect(400);
    expect(r.body.errors).toEqual([
      {
        path: 'progressPercent',
        code: 'PROGRESS_PERCENT_INVALID',
        message: '形象进度须为0到100之间的整数',
      },
    ]);
    const y = await t.http().get('/api/projects?planYear=1800').expect(400);
    expect(y.body.errors).toEqual([
      { path: 'planYear', code: 'OUT_OF_RANGE', message: '须在1990到2100之间' },
    ]);
  });

  it('429 says how many minutes to wait', async () => {
    for (let i = 0; i < 5; i++)
      await t
        .anon()
        .post('/api/auth/login')
        .send({ username: 'nobody.here', password: 'wrong-pass-1' })
        .expect(401);
    const r = await t
      .anon()
      .post('/api/auth/login')
      .send({ username: 'nobody.here', password: 'wrong-pass-1' })
      .expect(429);
    expect(r.body.message).toBe('登录失败次数过多：请15分钟后再试，或请管理员重置密码');
  });

  it('a .docx (a zip that is no workbook) is "不是 Excel 工作簿", not "no table found"', async () => {
    const docx = new JSZip();
    docx.file('[Content_Types].xml', '<Types/>');
    docx.file('word/document.xml', '<w:document/>');
    const r = await t
      .http()
      .post('/api/imports/projects')
      .attach('file', await docx.generateAsync({ type: 'nodebuffer' }), '规划.docx')
      .field('regionId', String(liannan))
      .expect(400);
    expect(r.body).toMatchObject({
      code: 'IMPORT_NOT_XLSX',
      message: '文件不是 Excel 工作簿（.xlsx），请另存为 .xlsx 后上传',
    });
  });

  it('POST /api/users reports every bad field at once', async () => {
    const r = await t
      .http()
      .post('/api/users')
      .send({ username: 'a', password: 'short', role: 'boss', regionId: 'x' })
      .expect(400);
    expect(r.body.errors.map((e: { path: string; code: string }) => [e.path, e.code])).toEqual([
      ['username', 'USERNAME_INVALID'],
      ['password', 'PASSWORD_TOO_SHORT'],
      ['role', 'NOT_IN_LIST'],
      ['regionId', 'NOT_AN_INTEGER'],
    ]);
    // the service-level problems come together too: a taken name and a region out of reach
    const taken = await t
      .http()
      .post('/api/users')
      .send({ username: 'admin', password: 'Good-Pass-1', role: 'viewer', regionId: 999_999 })
      .expect(400);
    expect(taken.body.errors.map((e: { path: string; code: string }) => [e.path, e.code])).toEqual([
      ['regionId', 'REGION_NOT_FOUND'],
      ['username', 'USERNAME_TAKEN'],
    ]);
  });

  it('downloads carry an RFC 6266 name: the Chinese name as filename*, an ASCII filename for the rest', async () => {
    for (const [url, ascii, name] of [
      [
        `/api/reports/monthly?month=2026-11&regionId=${liannan}`,
        'monthly-report-2026-11.xlsx',
        /^连南瑶族自治县.*2026-11\.xlsx$/,
      ],
      ['/api/imports/template.xlsx', 'plan-table-template.xlsx', /^学校建设项目规划表模板\.xlsx$/],
      [
        `/api/projects/export.xlsx?regionId=${liannan}`,
        null,
        /^学校建设项目规划表-连南瑶族自治县-\d{4}-\d{2}-\d{2}\.xlsx$/,
      ],
    ] as const) {
      const r = await t.http().get(url).buffer(true).parse(binary).expect(200);
      const header = r.headers['content-disposition'];
      const m =
        /^attachment; filename="([\x20-\x7e]+)"; filename\*=UTF-8''([A-Za-z0-9%._~-]+)$/.exec(
          header,
        );
      expect(m).not.toBeNull();
      if (ascii) expect(m![1]).toBe(ascii);
      else expect(m![1]).toMatch(/^projects-\d{4}-\d{2}-\d{2}\.xlsx$/);
      expect(decodeURIComponent(m![2])).toMatch(name);
    }
  });
});
