import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { Attachment } from '../../src/attachments/attachment.entity';
import { AttachmentsService } from '../../src/attachments/attachments.service';
import { Agent, binary, createTestApp, TestApp } from '../support/app';
import {
  docx,
  docxBomb,
  heicPhoto,
  jpegWithHugeExif,
  pdf,
  pngDeclaring,
  sitePhoto,
} from '../support/evidence-files';
import { LocalS3, startLocalS3 } from '../support/s3-server';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every file under dir (relative), recursively. */
function filesUnder(dir: string, rel = ''): string[] {
  if (!fs.existsSync(path.join(dir, rel))) return [];
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? filesUnder(dir, path.join(rel, e.name)) : [path.join(rel, e.name)],
    );
}

const ALLOWED =
  '只能上传 PDF、OFD、JPEG、PNG、WebP、HEIC/HEIF 图片、Word（.docx）或 Excel（.xlsx）文件';

/**
 * 附件 and 进度照片 (issue 35, points 1–4), on the folder store and on an S3-compatible server
 * (s3rver on 127.0.0.1): upload, dedupe, thumbnail, EXIF time and GPS, withdraw, scope 404,
 * viewer 403, the reporting cycle's lock, hostile files.
 */
describe.each(['folder', 's3'] as const)('attachments on the %s store', (store) => {
  let t: TestApp;
  let s3: LocalS3 | null = null;
  let work: string;
  let filesDir: string;
  let admin: Agent;
  let uploader: Agent & { userId: number };
  let colleague: Agent & { userId: number };
  let viewer: Agent & { userId: number };
  let stranger: Agent & { userId: number };
  let projectId: number;
  let photo: Buffer;
  let photoId: number;
  let novemberPhotoId: number;
  let reportId: number;

  /** What the store holds: every key (S3) or file (folder, temp files aside). */
  const stored = async (): Promise<string[]> =>
    s3
      ? s3.keys()
      : filesUnder(filesDir)
          .filter((f) => !f.startsWith('tmp'))
          .map((f) =>
            f.startsWith('thumbnails') ? `thumbnails/${path.basename(f)}` : path.basename(f),
          )
          .sort();

  const upload = (
    agent: Agent,
    file: Buffer,
    name: string,
    fields: Record<string, string | number> = { kind: 'photo' },
    project = projectId,
  ) => {
    let req = agent.post(`/api/projects/${project}/attachments`);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, String(v));
    return req.attach('file', file, { filename: name, contentType: 'application/octet-stream' });
  };

  const download = (agent: Agent, url: string) =>
    agent
      .get(url)
      .buffer(true)
      .parse(binary as never);

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'attachments-'));
    filesDir = path.join(work, 'files');
    if (store === 's3') s3 = await startLocalS3();
    t = await createTestApp({
      env: {
        FILES_DIR: filesDir,
        SUBMISSIONS_DIR: path.join(work, 'submissions'),
        ...(s3?.env ?? {}),
      },
    });
    admin = t.http();
    const regions = (await admin.get('/api/regions').expect(200)).body as {
      id: number;
      level: string;
    }[];
    const [county, other] = regions.filter((r) => r.level === 'county');
    projectId = (
      await admin
        .post('/api/projects')
        .send({ name: '附件测试学校', regionId: county.id, planYear: 2026, budgetWan: '800' })
        .expect(201)
    ).body.id;
    uploader = await t.as('infrastructure', county.id, `att.uploader.${store}`);
    colleague = await t.as('infrastructure', county.id, `att.colleague.${store}`);
    viewer = await t.as('viewer', county.id, `att.viewer.${store}`);
    stranger = await t.as('infrastructure', other.id, `att.stranger.${store}`);
    reportId = (
      await uploader
        .post(`/api/projects/${projectId}/progress`)
        .send({ reportedOn: '2026-11-15', status: 'under_construction', progressPercent: 30 })
        .expect(201)
    ).body.id;
    photo = await sitePhoto({ taken: '2026:12:01 09:15:30' });
  });
  afterAll(async () => {
    await t.close();
    await s3?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  // one story in order: later steps read what earlier ones uploaded (jest --randomize shuffles its)
  const steps: { name: string; run: () => Promise<void> }[] = [];
  const step = (name: string, run: () => Promise<void>) => steps.push({ name, run });

  step(
    'takes a phone photo: type by content, EXIF time and GPS on the record, answered before its thumbnail, which is upright, ≤ 480 px and without metadata',
    async () => {
      const started = Date.now();
      const res = await upload(uploader, photo, '东立面 三层封顶.jpg', {
        kind: 'photo',
        note: '三层封顶',
      }).expect(201);
      expect(Date.now() - started).toBeLessThan(2000);
      photoId = res.body.id;
      expect(res.body).toMatchObject({
        projectId,
        kind: 'photo',
        kindLabel: '进度照片',
        name: '东立面 三层封顶.jpg',
        size: photo.length,
        sha256: sha(photo),
        mime: 'image/jpeg',
        takenAt: '2026-12-01T09:15:30',
        lat: '24.0917000',
        lng: '115.2500694',
        hasThumbnail: false,
        progressReportId: null,
        paymentId: null,
        note: '三层封顶',
        uploadedBy: `att.uploader.${store}`,
        withdrawn: false,
      });
      await t.app.get(AttachmentsService).thumbnailsDone();
      const list = (await viewer.get(`/api/projects/${projectId}/attachments`).expect(200)).body;
      expect(list.total).toBe(1);
      expect(list.items[0]).toMatchObject({ id: photoId, hasThumbnail: true });
      const thumb = await download(viewer, `/api/attachments/${photoId}/thumbnail`).expect(200);
      expect(thumb.headers['content-type']).toBe('image/jpeg');
      expect(thumb.headers['x-content-type-options']).toBe('nosniff');
      const meta = await sharp(thumb.body as Buffer).metadata();
      // 1200 × 900 stored sideways (orientation 6): upright 900 × 1200, fitted into 480 px
      expect([meta.width, meta.height, meta.exif, meta.orientation]).toEqual([
        360,
        480,
        undefined,
        undefined,
      ]);
      // the original kept untouched, shown inline under its Chinese name
      const file = await download(viewer, `/api/attachments/${photoId}/file`).expect(200);
      expect(sha(file.body as Buffer)).toBe(sha(photo));
      expect(file.headers['content-type']).toBe('image/jpeg');
      expect(file.headers['x-content-type-options']).toBe('nosniff');
      expect(file.headers['content-disposition']).toBe(
        `inline; filename="attachment.jpg"; filename*=UTF-8''${encodeURIComponent('东立面 三层封顶.jpg')}`,
      );
    },
  );

  step(
    'stores the same bytes once: a second record, the same key, the thumbnail ready at once',
    async () => {
      const again = await upload(colleague, photo, 'IMG_0001.JPG', { kind: 'other' }).expect(201);
      expect(again.body).toMatchObject({
        sha256: sha(photo),
        hasThumbnail: true,
        name: 'IMG_0001.JPG',
      });
      expect(again.body.id).not.toBe(photoId);
      expect(await stored()).toEqual([sha(photo), `thumbnails/${sha(photo)}.jpg`]);
      // a retry whose answer was lost (the same officer, bytes, kind and owner): the same record
      const before = await t.db.read.getRepository(Attachment).count({ where: { projectId } });
      const retry = await upload(colleague, photo, 'IMG_0001.JPG', { kind: 'other' }).expect(201);
      expect(retry.body.id).toBe(again.body.id);
      expect(await t.db.read.getRepository(Attachment).count({ where: { projectId } })).toBe(
        before,
      );
    },
  );

  step(
    'keeps a DOCX as a download and a PDF inline; a name loses its folders and control characters, not its Chinese',
    async () => {
      const word = docx();
      const d = await upload(uploader, word, '施工合同.docx', { kind: 'contract' }).expect(201);
      expect(d.body).toMatchObject({
        kind: 'contract',
        kindLabel: '合同',
        mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        hasThumbnail: false,
        takenAt: null,
        lat: null,
      });
      const got = await download(uploader, `/api/attachments/${d.body.id}/file`).expect(200);
      expect(got.headers['content-disposition']).toBe(
        `attachment; filename="attachment.docx"; filename*=UTF-8''${encodeURIComponent('施工合同.docx')}`,
      );
      // a hostile client's own multipart: an RFC 5987 name with folders and control characters
      const boundary = 'evidence-boundary';
      const raw = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\napproval\r\n` +
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''${encodeURIComponent('../../etc/\u0007立项\u001b批复\u202e\u0000.pdf')}\r\n` +
            `Content-Type: application/octet-stream\r\n\r\n`,
        ),
        pdf(),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const p = await uploader
        .post(`/api/projects/${projectId}/attachments`)
        .set('content-type', `multipart/form-data; boundary=${boundary}`)
        .send(raw);
      expect([p.status, p.body.message]).toEqual([201, undefined]);
      expect(p.body).toMatchObject({
        name: '立项批复.pdf',
        mime: 'application/pdf',
        kindLabel: '批复文件',
      });
      const shown = await download(uploader, `/api/attachments/${p.body.id}/file`).expect(200);
      expect(shown.headers['content-disposition']).toMatch(/^inline; /);
      const audit = await t.db.read
        .getRepository(AuditLog)
        .findOneByOrFail({ action: 'create', entity: 'attachment', entityId: p.body.id });
      expect(audit.projectId).toBe(projectId);
      expect(audit.changes.name).toEqual({ old: null, new: '立项批复.pdf' });
      expect(audit.changes.kind).toEqual({ old: null, new: 'approval' });
    },
  );

  step('refuses hostile files in Chinese, each within a second, and keeps serving', async () => {
    const cases: [Buffer, string, string, string][] = [
      [
        pngDeclaring(100_000, 100_000),
        'huge.png',
        'ATTACHMENT_IMAGE',
        '图片不符合要求，未接收：图片尺寸100000×100000像素，超过5000万像素的上限',
      ],
      [
        await jpegWithHugeExif(),
        'exif.jpg',
        'ATTACHMENT_IMAGE',
        '图片不符合要求，未接收：照片的附加信息（EXIF等）超过512 KB，疑似异常文件',
      ],
      [
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        'drawing.svg',
        'ATTACHMENT_TYPE',
        `文件类型不被接受：${ALLOWED}`,
      ],
      [
        Buffer.from(
          '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>',
        ),
        '批复.pdf',
        'ATTACHMENT_TYPE',
        `文件类型不被接受：${ALLOWED}`,
      ],
      [
        docxBomb(),
        '合同.docx',
        'ATTACHMENT_ARCHIVE',
        '文件压缩结构异常，未接收：压缩比异常（疑似压缩炸弹）（word/document.xml）',
      ],
      [
        Buffer.from('MZ\x90\x00\x03'),
        'setup.exe',
        'ATTACHMENT_TYPE',
        `文件类型不被接受：${ALLOWED}`,
      ],
    ];
    const before = await stored();
    for (const [bytes, name, code, message] of cases) {
      const started = Date.now();
      const res = await upload(uploader, bytes, name, { kind: 'other' });
      expect({ name, status: res.status, code: res.body.code, message: res.body.message }).toEqual({
        name,
        status: 400,
        code,
        message,
      });
      // named, so a slow refusal says which file it was
      expect({ name, withinASecond: Date.now() - started < 1000 }).toEqual({
        name,
        withinASecond: true,
      });
    }
    expect(await stored()).toEqual(before);
    await admin.get('/api/health').expect(200);
  });

  step('refuses a file over ATTACHMENT_MAX_BYTES with 413 naming the cap', async () => {
    const big = Buffer.concat([pdf(), Buffer.alloc(20 * 1024 * 1024)]);
    const res = await upload(uploader, big, 'big.pdf', { kind: 'other' }).expect(413);
    expect(res.body.code).toBe('ATTACHMENT_TOO_LARGE');
    expect(res.body.message).toBe('文件过大：单个附件不能超过 20 MB');
  });

  step(
    'answers another region 404 like a missing attachment, and a viewer 403 on writes',
    async () => {
      await stranger.get(`/api/projects/${projectId}/attachments`).expect(404);
      await stranger.get(`/api/attachments/${photoId}/file`).expect(404);
      await stranger.get(`/api/attachments/${photoId}/thumbnail`).expect(404);
      await stranger.get(`/api/attachments/999999/file`).expect(404);
      await upload(stranger, pdf(), 'x.pdf', { kind: 'other' }).expect(404);
      await stranger
        .post(`/api/attachments/${photoId}/withdraw`)
        .send({ reason: '误传' })
        .expect(404);
      const refused = await upload(viewer, pdf(), 'x.pdf', { kind: 'other' }).expect(403);
      expect(refused.body.code).toBe('FORBIDDEN');
      await viewer
        .post(`/api/attachments/${photoId}/withdraw`)
        .send({ reason: '误传' })
        .expect(403);
      await viewer.get(`/api/attachments/${photoId}/file`).expect(200);
    },
  );

  step(
    'is withdrawn by its uploader or an admin only, stays listed as 已撤回, audited',
    async () => {
      const other = await colleague
        .post(`/api/attachments/${photoId}/withdraw`)
        .send({ reason: '重复' })
        .expect(403);
      expect(other.body.code).toBe('FORBIDDEN_WITHDRAW_ATTACHMENT');
      expect(other.body.message).toBe('只有上传人本人或管理员可以撤回该附件');
      const done = await uploader
        .post(`/api/attachments/${photoId}/withdraw`)
        .send({ reason: '照片拍错了位置' })
        .expect(200);
      expect(done.body).toMatchObject({
        id: photoId,
        withdrawn: true,
        withdrawnBy: `att.uploader.${store}`,
        withdrawReason: '照片拍错了位置',
        version: 2,
      });
      const again = await admin
        .post(`/api/attachments/${photoId}/withdraw`)
        .send({ reason: '再撤' })
        .expect(400);
      expect(again.body.code).toBe('ALREADY_WITHDRAWN');
      const listed = (
        await viewer.get(`/api/projects/${projectId}/attachments?kind=photo`).expect(200)
      ).body.items as { id: number; withdrawn: boolean }[];
      expect(listed.map((i) => [i.id, i.withdrawn])).toEqual([[photoId, true]]);
      const audit = await t.db.read
        .getRepository(AuditLog)
        .findOneByOrFail({ action: 'withdraw', entity: 'attachment', entityId: photoId });
      expect(audit.actorName).toBe(`att.uploader.${store}`);
      expect(audit.changes.withdrawReason).toEqual({ old: null, new: '照片拍错了位置' });
    },
  );

  step(
    'keeps an iPhone HEIC and a plain HEIF untouched, reads their EXIF time and GPS, and gives each the placeholder thumbnail',
    async () => {
      const cases = [
        {
          // an iPhone's layout: major brand heic
          bytes: await heicPhoto({ taken: '2026:12:03 11:42:07' }),
          name: 'IMG_4021.HEIC',
          mime: 'image/heic',
          takenAt: '2026-12-03T11:42:07',
          lat: '24.0917000',
          lng: '115.2500694',
        },
        {
          // a HEIF listing no heic brand (exifr alone would not open it); south and west
          bytes: await heicPhoto({
            taken: '2026:12:04 07:05:59',
            brands: ['mif1', 'mif1', 'miaf'],
            gps: { lat: '33/1 51/1 5436/100', latRef: 'S', lng: '70/1 39/1 3/1', lngRef: 'W' },
          }),
          name: '现场.heif',
          mime: 'image/heif',
          takenAt: '2026-12-04T07:05:59',
          lat: '-33.8651000',
          lng: '-70.6508333',
        },
      ];
      for (const c of cases) {
        const res = await upload(uploader, c.bytes, c.name).expect(201);
        expect({ name: c.name, ...res.body }).toMatchObject({
          name: c.name,
          kind: 'photo',
          size: c.bytes.length,
          sha256: sha(c.bytes),
          mime: c.mime,
          takenAt: c.takenAt,
          lat: c.lat,
          lng: c.lng,
          // the placeholder is made after the answer, like any thumbnail
          hasThumbnail: false,
        });
        await t.app.get(AttachmentsService).thumbnailsDone();
        const listed = (
          (await viewer.get(`/api/projects/${projectId}/attachments`).expect(200)).body.items as {
            id: number;
            hasThumbnail: boolean;
          }[]
        ).find((i) => i.id === res.body.id);
        expect(listed?.hasThumbnail).toBe(true);
        // the original byte for byte, shown inline as what it is
        const file = await download(viewer, `/api/attachments/${res.body.id}/file`).expect(200);
        expect(sha(file.body as Buffer)).toBe(sha(c.bytes));
        expect(file.headers['content-type']).toBe(c.mime);
        expect(file.headers['content-disposition']).toMatch(/^inline; /);
        // the bundled libvips has no HEVC: the grey camera card, 480 × 360, no metadata
        const thumb = await download(viewer, `/api/attachments/${res.body.id}/thumbnail`).expect(
          200,
        );
        expect(thumb.headers['content-type']).toBe('image/jpeg');
        const meta = await sharp(thumb.body as Buffer).metadata();
        expect([meta.format, meta.width, meta.height, meta.exif]).toEqual([
          'jpeg',
          480,
          360,
          undefined,
        ]);
        expect(await stored()).toEqual(
          expect.arrayContaining([sha(c.bytes), `thumbnails/${sha(c.bytes)}.jpg`]),
        );
      }
    },
  );

  step(
    'holds the lock of a submitted month: a photo taken in it, a file of its progress report and their withdrawal are refused 409; later or undated ones go through',
    async () => {
      const november = await sitePhoto({ taken: '2026:11:20 16:02:11', color: '#a06040' });
      novemberPhotoId = (await upload(uploader, november, '十一月.jpg').expect(201)).body.id;
      await uploader
        .post('/api/submissions')
        .send({ month: '2026-11', force: true, note: '附件测试' })
        .expect(201);
      const word = '2026年11月月报已报送（待审核），需上级退回后才能修改';
      const taken = await upload(
        uploader,
        await sitePhoto({ taken: '2026:11:28 08:00:00', color: '#4060a0' }),
        '十一月底.jpg',
      ).expect(409);
      expect([taken.body.code, taken.body.message]).toEqual(['PERIOD_SUBMITTED', word]);
      const ofReport = await upload(uploader, pdf('监理日志'), '监理日志.pdf', {
        kind: 'other',
        progressReportId: reportId,
      }).expect(409);
      expect(ofReport.body.code).toBe('PERIOD_SUBMITTED');
      const withdrawn = await uploader
        .post(`/api/attachments/${novemberPhotoId}/withdraw`)
        .send({ reason: '拍错' })
        .expect(409);
      expect(withdrawn.body.code).toBe('PERIOD_SUBMITTED');
      // December's photo and an undated document are outside the month
      await upload(
        uploader,
        await sitePhoto({ taken: '2026:12:02 10:00:00', color: '#222' }),
        '十二月.jpg',
      ).expect(201);
      await upload(uploader, pdf('施工许可证'), '施工许可证.pdf', { kind: 'permit' }).expect(201);
      // a report of another project, or none: 400
      const wrong = await upload(uploader, pdf(), 'x.pdf', {
        kind: 'other',
        progressReportId: 999999,
      }).expect(400);
      expect(wrong.body.code).toBe('ATTACHMENT_NOT_OF_PROJECT');
      // every upload of the story arrived as a temporary file (streamed, hashed on the way): none is
      // left, whether stored, refused, over the size limit, a duplicate or thumbnailed
      await t.app.get(AttachmentsService).thumbnailsDone();
      const uploadTmp = s3 ? path.join(os.tmpdir(), 'tracker-uploads') : path.join(filesDir, 'tmp');
      expect(filesUnder(uploadTmp).filter((f) => f.endsWith('.upload'))).toEqual([]);
    },
  );
  it('runs the story in order', async () => {
    for (const st of steps) {
      try {
        await st.run();
      } catch (e) {
        if (e instanceof Error) e.message = `step「${st.name}」: ${e.message}`;
        throw e;
      }
    }
  });
});
