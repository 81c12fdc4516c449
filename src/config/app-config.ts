import { isIP } from 'node:net';
import * as path from 'node:path';

export const APP_CONFIG = Symbol('APP_CONFIG');

export type WebhookTarget = { format: 'generic' | 'wecom' | 'dingtalk'; url: string };

/** The whole runtime configuration (docs/conventions.md). Every variable is optional. */
export interface AppConfig {
  port: number;
  /** `sqlite` unless DATABASE_URL is a postgres:// URL. */
  dialect: 'sqlite' | 'postgres';
  sqlitePath: string;
  /** The built web front end (`web/dist`), served at `/` when present. */
  webDir: string;
  databaseUrl: string | null;
  adminPassword: string | null;
  seedReferenceData: boolean;
  businessTimeZone: string;
  alertWebhooks: WebhookTarget[];
  /** Largest accepted JSON body. */
  bodyLimit: string;
  /** Token signing secret; when unset one is generated and kept in the database. */
  jwtSecret: string | null;
  /** Access token lifetime in minutes: a session not renewed within it ends (SESSION_IDLE_MINUTES). */
  tokenTtlMinutes: number;
  /** A session is renewed while the user is active, up to this many hours after sign-in. */
  sessionMaxHours: number;
  /** Origins allowed by CORS; empty = no cross-origin access. */
  corsOrigins: string[];
  /**
   * TRUST_PROXY, handed to Express's `trust proxy`: false (the default) ignores X-Forwarded-*;
   * otherwise the client address (the login throttle's key) comes from X-Forwarded-For through
   * the trusted hops, and HTTPS (the session cookie's Secure) from X-Forwarded-Proto.
   */
  trustProxy: boolean | number | string[];
  /** Where background jobs write their files. */
  jobsDir: string;
  /** SUBMISSIONS_DIR: where the frozen workbooks of submitted months are kept (never deleted). */
  submissionsDir: string;
  /**
   * FILES_DIR: where attachments are kept by SHA-256 (default `files` beside the SQLite file, i.e.
   * data/files), unless an S3-compatible store is configured (`filesS3`).
   */
  filesDir: string;
  /** FILES_S3_*: an S3-compatible object store for attachments (several instances share it). */
  filesS3: {
    endpoint: string;
    bucket: string;
    accessKey: string;
    secretKey: string;
    region: string;
  } | null;
  /** ATTACHMENT_MAX_BYTES: the largest accepted attachment (default 20 MB). */
  attachmentMaxBytes: number;
  /** Finished jobs and their files are deleted after this many days. */
  jobRetentionDays: number;
  /** Upload cap for imports, in bytes. */
  importMaxBytes: number;
  importMaxSheets: number;
  importMaxRows: number;
  /** Imports of files larger than this, and reports with more projects than reportSyncMaxProjects, run as jobs. */
  importSyncMaxBytes: number;
  reportSyncMaxProjects: number;
  /**
   * A full garbage collection between the phases of a background job (never inside a request or a
   * transaction): keeps a province report's peak RSS near its live set.
   */
  jobGcBetweenPhases: boolean;
  /** Worker threads rendering workbooks (WORKBOOK_WORKERS): 0 = the cores less one, at least 1. */
  workbookWorkers: number;
  /** Each workbook worker's heap limit in MB (WORKBOOK_WORKER_HEAP_MB). */
  workbookWorkerHeapMB: number;
  /**
   * Each workbook worker's young generation in MB (WORKBOOK_WORKER_YOUNG_MB). V8's default lets it
   * grow to 32 MB of semi-spaces that a worker keeps for its life; a worker's tasks build a few large
   * structures once, so 8 MB costs no measurable time and ~20 MB less at a province report's peak.
   */
  workbookWorkerYoungMB: number;
  /**
   * The nice value of each workbook worker thread on Linux (WORKBOOK_WORKER_NICE, 0 = as the app):
   * a report being rendered yields the CPU to the thread answering requests.
   */
  workbookWorkerNice: number;
  /** Run the daily alert scan (08:00 business time) and the automatic 催报 in this instance. */
  schedulerEnabled: boolean;
  /**
   * REPORT_DUE_DAY: a month's report is due on this day of the next month (1–28), moved to the next
   * working day past weekends and holidays (src/calendar/due-date.ts).
   */
  reportDueDay: number;
  /** Project list pages and counts kept until the data changes (LRU); 0 = no cache. */
  readCacheEntries: number;
  /** At most this many MB of cached pages. */
  readCacheMB: number;
  /** LIST_FAST_PATH: GET /api/projects answered ahead of the router (src/projects/list-fast-path.ts). */
  listFastPath: boolean;
  /**
   * On SIGTERM/SIGINT, how long in-flight requests and jobs may take to finish before the
   * database is closed (unfinished jobs are then marked interrupted).
   */
  shutdownTimeoutMs: number;
  /**
   * Notification channels (issue 34, docs/alerts.md "Channels"): SMTP_URL (`smtp://user:pass@host:587`
   * or `smtps://…`; unset = no e-mail), SMTP_FROM (the sender), REPORT_LINK_DAYS (a 钉钉 download
   * link's life), PUBLIC_URL (the address the links start with), ROBOT_PER_MINUTE (a robot's limit),
   * ROBOT_ORIGINS (the origins a robot address may point at; default the two public robot services).
   */
  delivery: {
    robotOrigins: string[];
    smtpUrl: string | null;
    smtpFrom: string;
    reportLinkDays: number;
    publicUrl: string;
    robotPerMinute: number;
  };
  alerts: {
    /** Webhook request timeout. */
    timeoutMs: number;
    /** First retry delay; doubles on each attempt. */
    retryBaseMs: number;
    maxAttempts: number;
    /** How often the outbox is polled; 0 = never in the background (tests drive it). */
    deliveryIntervalMs: number;
    /** More open alerts than this in a region → one digest instead of one message each. */
    digestThreshold: number;
  };
}

/** The robots' own services: a channel's address points at one of these unless ROBOT_ORIGINS says otherwise. */
export const DEFAULT_ROBOT_ORIGINS = ['https://qyapi.weixin.qq.com', 'https://oapi.dingtalk.com'];

export class ConfigError extends Error {}

function parseBool(
  name: string,
  raw: string | undefined,
  dflt: boolean,
  errors: string[],
): boolean {
  if (raw === undefined || raw === '') return dflt;
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  errors.push(`${name} must be true or false, got "${raw}"`);
  return dflt;
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isAddressOrCidr(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address);
  if (!family || extra !== undefined) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n >= 0 && n <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: unset/false = trust no proxy; true = every hop (only when nothing but the proxy
 * can reach the app); a hop count; or a comma-separated list of `loopback`, `linklocal`,
 * `uniquelocal`, addresses and CIDRs — the values Express's `trust proxy` takes.
 */
function parseTrustProxy(raw: string | undefined, errors: string[]): boolean | number | string[] {
  const v = (raw ?? '').trim();
  if (v === '' || /^(false|no|off)$/i.test(v)) return false;
  if (/^true$/i.test(v)) return true;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops >= 0 && hops <= 10) return hops === 0 ? false : hops;
    errors.push(`TRUST_PROXY hop count must be from 0 to 10, got "${raw}"`);
    return false;
  }
  const entries = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const e of entries)
    if (!PROXY_NAMES.includes(e.toLowerCase()) && !isAddressOrCidr(e))
      errors.push(
        `TRUST_PROXY entry is not loopback, linklocal, uniquelocal, an address or a CIDR: "${e}"`,
      );
  return entries.map((e) => (PROXY_NAMES.includes(e.toLowerCase()) ? e.toLowerCase() : e));
}

/**
 * Reads and validates the environment. Throws one ConfigError listing every bad variable, so a
 * misconfigured deployment fails at start with a clear message rather than at first use.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const errors: string[] = [];

  const portRaw = env.PORT ?? '3000';
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    errors.push(`PORT must be a port number, got "${portRaw}"`);

  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    errors.push('DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)');
  }

  const businessTimeZone = env.TZ_BUSINESS?.trim() || 'Asia/Shanghai';
  if (!isValidTimeZone(businessTimeZone))
    errors.push(`TZ_BUSINESS is not a time zone: "${businessTimeZone}"`);

  const adminPassword = env.ADMIN_PASSWORD ?? null;
  if (adminPassword !== null && [...adminPassword].length < 10)
    errors.push('ADMIN_PASSWORD must have at least 10 characters');

  const alertWebhooks: WebhookTarget[] = [];
  for (const item of (env.ALERT_WEBHOOKS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(?:(wecom|dingtalk):)?(https?:\/\/.+)$/.exec(item);
    if (!m)
      errors.push(
        `ALERT_WEBHOOKS entry is not a URL (optionally prefixed wecom: or dingtalk:): "${item}"`,
      );
    else
      alertWebhooks.push({
        format: (m[1] as 'wecom' | 'dingtalk' | undefined) ?? 'generic',
        url: m[2],
      });
  }

  // SESSION_IDLE_MINUTES (docs/limits.md); TOKEN_TTL_MINUTES is its older name
  const ttlName =
    env.SESSION_IDLE_MINUTES !== undefined ? 'SESSION_IDLE_MINUTES' : 'TOKEN_TTL_MINUTES';
  const ttlRaw = env.SESSION_IDLE_MINUTES ?? env.TOKEN_TTL_MINUTES ?? '30';
  const tokenTtlMinutes = Number(ttlRaw);
  if (!Number.isInteger(tokenTtlMinutes) || tokenTtlMinutes < 1 || tokenTtlMinutes > 24 * 60) {
    errors.push(`${ttlName} must be a whole number of minutes from 1 to 1440, got "${ttlRaw}"`);
  }
  const jwtSecret = env.JWT_SECRET?.trim() || null;
  if (jwtSecret !== null && jwtSecret.length < 32)
    errors.push('JWT_SECRET must have at least 32 characters');
  const corsOrigins = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const o of corsOrigins)
    if (!/^https?:\/\/[^/]+$/.test(o))
      errors.push(`CORS_ORIGINS entry is not an origin (scheme://host[:port]): "${o}"`);

  const robotOrigins = (env.ROBOT_ORIGINS ?? DEFAULT_ROBOT_ORIGINS.join(','))
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, '').toLowerCase())
    .filter(Boolean);
  for (const o of robotOrigins)
    if (!/^https?:\/\/[^/]+$/.test(o))
      errors.push(`ROBOT_ORIGINS entry is not an origin (scheme://host[:port]): "${o}"`);

  const trustProxy = parseTrustProxy(env.TRUST_PROXY, errors);

  const int = (name: string, dflt: number, min: number, max: number): number => {
    const raw = env[name] ?? String(dflt);
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      errors.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return n;
  };
  const alerts = {
    timeoutMs: int('ALERT_WEBHOOK_TIMEOUT_MS', 5000, 50, 120_000),
    retryBaseMs: int('ALERT_RETRY_BASE_MS', 2000, 0, 3_600_000),
    maxAttempts: int('ALERT_MAX_ATTEMPTS', 6, 1, 50),
    deliveryIntervalMs: int('ALERT_DELIVERY_INTERVAL_MS', 2000, 0, 3_600_000),
    digestThreshold: int('ALERT_DIGEST_THRESHOLD', 10, 1, 100_000),
  };

  const smtpUrl = env.SMTP_URL?.trim() || null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl))
    errors.push(`SMTP_URL must be an smtp:// or smtps:// URL, got "${smtpUrl}"`);
  const publicUrl = env.PUBLIC_URL?.trim() || `http://localhost:${portRaw}`;
  if (!/^https?:\/\/[^/]/.test(publicUrl))
    errors.push(`PUBLIC_URL must be an http:// or https:// URL, got "${publicUrl}"`);
  const s3Vars = {
    endpoint: env.FILES_S3_ENDPOINT?.trim() ?? '',
    bucket: env.FILES_S3_BUCKET?.trim() ?? '',
    accessKey: env.FILES_S3_ACCESS_KEY?.trim() ?? '',
    secretKey: env.FILES_S3_SECRET_KEY?.trim() ?? '',
    region: env.FILES_S3_REGION?.trim() || 'us-east-1',
  };
  let filesS3: AppConfig['filesS3'] = null;
  if (s3Vars.endpoint || s3Vars.bucket) {
    const missing = (['endpoint', 'bucket', 'accessKey', 'secretKey'] as const).filter(
      (k) => !s3Vars[k],
    );
    if (missing.length)
      errors.push(
        `FILES_S3_ENDPOINT, FILES_S3_BUCKET, FILES_S3_ACCESS_KEY and FILES_S3_SECRET_KEY go together (missing: ${missing.join(', ')})`,
      );
    else if (!/^https?:\/\//.test(s3Vars.endpoint))
      errors.push(`FILES_S3_ENDPOINT must be an http(s) URL, got "${s3Vars.endpoint}"`);
    else filesS3 = s3Vars;
  }

  const config: AppConfig = {
    port,
    dialect: databaseUrl ? 'postgres' : 'sqlite',
    sqlitePath: path.resolve(env.SQLITE_PATH?.trim() || path.join('data', 'tracker.sqlite')),
    webDir: path.resolve(env.WEB_DIR?.trim() || path.join('web', 'dist')),
    databaseUrl,
    adminPassword,
    seedReferenceData: parseBool('SEED_REFERENCE_DATA', env.SEED_REFERENCE_DATA, true, errors),
    businessTimeZone,
    alertWebhooks,
    bodyLimit: env.BODY_LIMIT?.trim() || '1mb',
    jwtSecret,
    tokenTtlMinutes,
    sessionMaxHours: int('SESSION_MAX_HOURS', 12, 1, 24 * 30),
    corsOrigins,
    trustProxy,
    jobsDir: path.resolve(
      env.JOBS_DIR?.trim() ||
        path.join(
          path.dirname(
            path.resolve(env.SQLITE_PATH?.trim() || path.join('data', 'tracker.sqlite')),
          ),
          'jobs',
        ),
    ),
    submissionsDir: path.resolve(
      env.SUBMISSIONS_DIR?.trim() ||
        path.join(
          path.dirname(
            path.resolve(env.SQLITE_PATH?.trim() || path.join('data', 'tracker.sqlite')),
          ),
          'submissions',
        ),
    ),
    filesDir: path.resolve(
      env.FILES_DIR?.trim() ||
        path.join(
          path.dirname(
            path.resolve(env.SQLITE_PATH?.trim() || path.join('data', 'tracker.sqlite')),
          ),
          'files',
        ),
    ),
    filesS3,
    attachmentMaxBytes: int('ATTACHMENT_MAX_BYTES', 20 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    jobRetentionDays: int('JOB_RETENTION_DAYS', 7, 1, 3650),
    importMaxBytes: int('IMPORT_MAX_BYTES', 20 * 1024 * 1024, 1024, 500 * 1024 * 1024),
    importMaxSheets: int('IMPORT_MAX_SHEETS', 20, 1, 200),
    importMaxRows: int('IMPORT_MAX_ROWS', 50_000, 10, 1_000_000),
    importSyncMaxBytes: int('IMPORT_SYNC_MAX_BYTES', 256 * 1024, 0, 500 * 1024 * 1024),
    reportSyncMaxProjects: int('REPORT_SYNC_MAX_PROJECTS', 2000, 0, 10_000_000),
    jobGcBetweenPhases: parseBool('JOB_GC_BETWEEN_PHASES', env.JOB_GC_BETWEEN_PHASES, true, errors),
    workbookWorkers: int('WORKBOOK_WORKERS', 0, 0, 64),
    workbookWorkerHeapMB: int('WORKBOOK_WORKER_HEAP_MB', 1024, 64, 16_384),
    workbookWorkerYoungMB: int('WORKBOOK_WORKER_YOUNG_MB', 8, 1, 1024),
    workbookWorkerNice: int('WORKBOOK_WORKER_NICE', 10, 0, 19),
    schedulerEnabled: parseBool('SCHEDULER_ENABLED', env.SCHEDULER_ENABLED, true, errors),
    reportDueDay: int('REPORT_DUE_DAY', 5, 1, 28),
    readCacheEntries: int('READ_CACHE_ENTRIES', 2000, 0, 100_000),
    readCacheMB: int('READ_CACHE_MB', 64, 1, 4096),
    listFastPath: parseBool('LIST_FAST_PATH', env.LIST_FAST_PATH, true, errors),
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 20_000, 0, 600_000),
    delivery: {
      smtpUrl,
      smtpFrom: env.SMTP_FROM?.trim() || '学校建设项目管理系统 <noreply@localhost>',
      reportLinkDays: int('REPORT_LINK_DAYS', 7, 1, 365),
      publicUrl: publicUrl.replace(/\/+$/, ''),
      robotPerMinute: int('ROBOT_PER_MINUTE', 20, 1, 1000),
      robotOrigins,
    },
    alerts,
  };
  if (errors.length) throw new ConfigError(`Invalid configuration:\n- ${errors.join('\n- ')}`);
  return config;
}
