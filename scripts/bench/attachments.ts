/**
 * The attachments row of `npm run bench` (issue 35, point 6), against the app as main.ts starts it
 * (folder store in a temporary FILES_DIR):
 * - one 12 MB, 24-megapixel phone JPEG uploaded: the time until the answer, and until its thumbnail
 *   is served (polled), and the server's peak RSS growth over its resident size before the upload
 *   (the kernel's high-water mark reset through /proc/PID/clear_refs, VmRSS sampled beside it);
 * - ten such uploads at once while `/api/health` is asked every 50 ms: the slowest health answer;
 * - a project of 200 attachments listed.
 * Each upload is of different bytes (a JPEG comment numbers it): the same bytes twice are stored once
 * and their thumbnail is ready at once, which would measure nothing.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';

export interface AttachmentsBench {
  imageBytes: number;
  width: number;
  height: number;
  /** Each single upload: until the answer, and until the thumbnail is served. */
  answerMs: number[];
  thumbnailMs: number[];
  /** Peak RSS growth of each single upload, MB. */
  rssGrowthMB: number[];
  /** The first upload of the server (its first sharp pipeline), not in the runs. */
  coldThumbnailMs: number;
  coldRssGrowthMB: number;
  burst: {
    /** All ten answered, and all ten thumbnails served. */
    answeredMs: number;
    thumbnailsMs: number;
    healthMaxMs: number;
    healthP50Ms: number;
    healthSamples: number;
    rssGrowthMB: number;
  };
  /** GET /api/projects/:id/attachments of 200: the first, then the runs. */
  listFirstMs: number;
  listMs: number[];
  listBytes: number;
  /** Uploads sent again after a connection reset before any answer. */
  retried: number;
  /** The server's largest resident size seen. */
  peakRssMB: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * A phone's 24-megapixel photo (6000 × 4000) of about 12 MB: noise drawn at half size and enlarged
 * (detail at the scale of a real scene, which a JPEG encoder cannot shrink away), quality 92, with
 * the EXIF a phone writes (time, GPS).
 */
export async function phoneJpeg(): Promise<Buffer> {
  const [w, h] = [3000, 2000];
  const noise = await sharp({
    create: {
      width: w,
      height: h,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 34 },
    },
  })
    .raw()
    .toBuffer();
  return sharp(noise, { raw: { width: w, height: h, channels: 3 } })
    .resize(6000, 4000, { kernel: 'cubic' })
    .jpeg({ quality: 92 })
    .withExif({
      IFD0: { Make: 'BenchPhone', Model: '24MP' },
      IFD2: { DateTimeOriginal: '2026:12:01 10:00:00' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '24/1 5/1 3012/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '115/1 15/1 1/4',
      },
    })
    .toBuffer();
}

/** The same picture, other bytes: a COM segment with `n` right after the SOI marker. */
export function numbered(jpeg: Buffer, n: number): Buffer {
  const text = Buffer.from(`bench ${n}`, 'latin1');
  const com = Buffer.from([0xff, 0xfe, 0, 0]);
  com.writeUInt16BE(text.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), com, text, jpeg.subarray(2)]);
}

/** A 1 KB PDF numbered `n` (for the list of 200). */
const smallPdf = (n: number) =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n%附件${n}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );

const status = (pid: number, field: 'VmRSS' | 'VmHWM') =>
  Number(
    new RegExp(`${field}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ??
      0,
  ) / 1024;

/** Resets the process's peak RSS (VmHWM) to its current RSS (Linux ≥ 4.0, own processes). */
function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples VmRSS every 10 ms until stopped: the largest seen (a fallback where clear_refs is denied). */
function rssSampler(pid: number): { stop(): number } {
  let max = status(pid, 'VmRSS');
  const timer = setInterval(() => {
    try {
      max = Math.max(max, status(pid, 'VmRSS'));
    } catch {
      /* the process ended */
    }
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return max;
    },
  };
}

/**
 * `/api/health` asked every 50 ms (each ask on its own, not waiting for the last) from a child
 * process, until stopped: every answer's time, ms.
 */
function healthProber(url: string): { started: Promise<void>; stop(): Promise<number[]> } {
  const script = `
    const times = [];
    const pending = [];
    const ask = () => {
      const s = performance.now();
      pending.push(fetch(${JSON.stringify(url)}).then(async (r) => {
        await r.arrayBuffer();
        times.push(r.status === 200 ? performance.now() - s : -r.status);
      }, (e) => times.push(-1)));
    };
    const timer = setInterval(ask, 50);
    ask();
    process.stdout.write('started' + String.fromCharCode(10));
    process.stdin.on('data', async () => {
      clearInterval(timer);
      await Promise.all(pending);
      process.stdout.write(JSON.stringify(times) + String.fromCharCode(10));
      process.exit(0);
    });
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  let onLine: (line: string) => void = () => undefined;
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    let i: number;
    while ((i = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, i);
      out = out.slice(i + 1);
      onLine(line);
    }
  });
  const lines: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  onLine = (l) => (waiting.length ? waiting.shift()!(l) : lines.push(l));
  const next = () =>
    new Promise<string>((res) => (lines.length ? res(lines.shift()!) : waiting.push(res)));
  return {
    started: next().then(() => undefined),
    async stop() {
      child.stdin.write('stop\n');
      return JSON.parse(await next()) as number[];
    },
  };
}

export async function benchAttachments(opts: {
  env: Record<string, string>;
  port: number;
  projectIds: number[];
  runs: number;
  signIn: (base: string) => Promise<{ authorization: string }>;
}): Promise<AttachmentsBench> {
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-files-'));
  const t0 = performance.now();
  const photo = await phoneJpeg();
  const meta = await sharp(photo).metadata();
  console.error(
    `made a ${(photo.length / 2 ** 20).toFixed(1)} MB ${meta.width}×${meta.height} JPEG in ${Math.round(performance.now() - t0)} ms`,
  );
  const child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'src', 'main.js')], {
    env: {
      ...process.env,
      ...opts.env,
      FILES_DIR: filesDir,
      PORT: String(opts.port),
      ADMIN_PASSWORD: 'Bench-Admin-Pass-1',
      SCHEDULER_ENABLED: 'false',
      SEED_REFERENCE_DATA: 'false',
      ALERT_DELIVERY_INTERVAL_MS: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const pid = child.pid!;
  try {
    const base = `http://127.0.0.1:${opts.port}/api`;
    const headers = await opts.signIn(base);
    const [photoProject, listProject] = opts.projectIds;
    let n = 0;
    let retried = 0;
    const upload = async (project: number, bytes: Buffer, name: string, kind = 'photo') => {
      const form = new FormData();
      form.set('kind', kind);
      form.set('file', new Blob([new Uint8Array(bytes)]), name);
      const post = () =>
        fetch(`${base}/projects/${project}/attachments`, { method: 'POST', headers, body: form });
      // a pooled keep-alive connection the server closed as it was taken (EPIPE / ECONNRESET
      // before any answer) is the client's race, not a refusal: sent again once, and counted
      const r = await post().catch(() => {
        retried++;
        return post();
      });
      const body = (await r.json()) as { id: number; hasThumbnail: boolean; message?: string };
      if (r.status !== 201) throw new Error(`upload ${name}: ${r.status} ${body.message ?? ''}`);
      return body;
    };
    /** Polls the thumbnail every 10 ms until it is served. */
    const thumbnail = async (id: number) => {
      for (;;) {
        const r = await fetch(`${base}/attachments/${id}/thumbnail`, { headers });
        await r.arrayBuffer();
        if (r.status === 200) return;
        if (r.status !== 404) throw new Error(`thumbnail ${id}: ${r.status}`);
        await new Promise((res) => setTimeout(res, 10));
      }
    };
    /** One upload timed until its answer and its thumbnail, with the peak RSS growth. */
    const single = async () => {
      const bytes = numbered(photo, ++n);
      // let the last run's garbage settle, then measure from the resident size as it is
      await new Promise((res) => setTimeout(res, 500));
      const peakReset = resetPeak(pid);
      const before = status(pid, 'VmRSS');
      const sampler = rssSampler(pid);
      const start = performance.now();
      const a = await upload(photoProject, bytes, `现场照片${n}.jpg`);
      const answered = performance.now() - start;
      if (!a.hasThumbnail) await thumbnail(a.id);
      const ready = performance.now() - start;
      const sampled = sampler.stop();
      const peak = peakReset ? Math.max(status(pid, 'VmHWM'), sampled) : sampled;
      return { answered, ready, growth: peak - before, peak };
    };

    const cold = await single();
    const runs = [];
    for (let i = 0; i < opts.runs; i++) runs.push(await single());

    // ten at once, /api/health asked every 50 ms throughout
    await new Promise((res) => setTimeout(res, 500));
    const burstReset = resetPeak(pid);
    const burstBefore = status(pid, 'VmRSS');
    const burstSampler = rssSampler(pid);
    // the health prober is a process of its own: the uploads' 120 MB pass through this one's loop
    const prober = healthProber(`${base}/health`);
    await prober.started;
    const bStart = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => {
        const k = ++n;
        return upload(photoProject, numbered(photo, k), `现场照片${k}.jpg`);
      }),
    );
    const answeredMs = performance.now() - bStart;
    await Promise.all(answers.filter((a) => !a.hasThumbnail).map((a) => thumbnail(a.id)));
    const thumbnailsMs = performance.now() - bStart;
    const answered = await prober.stop();
    const failed = answered.filter((ms) => ms < 0);
    if (failed.length) throw new Error(`/api/health failed ${failed.length} times: ${failed.join(', ')}`);
    const health = answered;
    const bSampled = burstSampler.stop();
    const bPeak = burstReset ? Math.max(status(pid, 'VmHWM'), bSampled) : bSampled;

    // 200 attachments of one project: 150 small photos, 50 PDFs
    const small = await sharp({
      create: { width: 64, height: 48, channels: 3, background: '#7a9a6a' },
    })
      .jpeg()
      .toBuffer();
    for (let i = 0; i < 200; i++)
      await (i % 4 === 3
        ? upload(listProject, smallPdf(i), `批复文件${i}.pdf`, 'approval')
        : upload(listProject, numbered(small, 10_000 + i), `照片${i}.jpg`));
    const listOnce = async () => {
      const s = performance.now();
      const r = await fetch(`${base}/projects/${listProject}/attachments`, { headers });
      const body = (await r.json()) as { total: number };
      if (body.total !== 200) throw new Error(`listed ${body.total} of 200`);
      return { ms: performance.now() - s, bytes: Number(r.headers.get('content-length') ?? 0) };
    };
    const first = await listOnce();
    const list: number[] = [];
    for (let i = 0; i < Math.max(opts.runs, 10); i++) list.push((await listOnce()).ms);

    return {
      imageBytes: photo.length,
      width: meta.width ?? 0,
      height: meta.height ?? 0,
      answerMs: runs.map((r) => r.answered),
      thumbnailMs: runs.map((r) => r.ready),
      rssGrowthMB: runs.map((r) => r.growth),
      coldThumbnailMs: cold.ready,
      coldRssGrowthMB: cold.growth,
      burst: {
        answeredMs,
        thumbnailsMs,
        healthMaxMs: Math.max(...health),
        healthP50Ms: median(health),
        healthSamples: health.length,
        rssGrowthMB: bPeak - burstBefore,
      },
      listFirstMs: first.ms,
      listMs: list,
      listBytes: first.bytes,
      retried,
      // the largest of the peaks (each measured since its reset)
      peakRssMB: Math.max(cold.peak, ...runs.map((r) => r.peak), bPeak),
    };
  } finally {
    child.kill();
    fs.rmSync(filesDir, { recursive: true, force: true });
  }
}
