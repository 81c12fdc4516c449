import ExcelJS from 'exceljs';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { User } from '../../src/auth/user.entity';
import { Clock } from '../../src/common/clock';
import { PermissionTable } from '../../src/common/permissions';
import { AppConfig } from '../../src/config/app-config';
import { configureApp } from '../../src/configure-app';
import { Database } from '../../src/database/database';
import { createTestDatabase } from './test-db';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
/** supertest with a bearer token (or none) set on every request. */
export type Agent = Record<Method, (url: string) => request.Test>;

export const ADMIN_PASSWORD = 'Test-Admin-Pass-1';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  db: Database;
  /** supertest as the admin */
  http: () => Agent;
  /** supertest without a token */
  anon: () => Agent;
  /** supertest with a given token */
  withToken: (token: string) => Agent;
  /** the app's clock: pinned to TEST_NOW at start, then ticking */
  now: () => Date;
  /** logs in and returns the token */
  login: (username: string, password: string) => Promise<string>;
  /** Marks a user as having chosen their own password (no 修改密码 first in the web). */
  passwordChosen: (userId: number) => Promise<void>;
  /** creates a user (as admin) and returns an agent signed in as that user */
  as: (
    role: string,
    regionId: number | null,
    username?: string,
  ) => Promise<Agent & { userId: number; token: string }>;
  close(): Promise<void>;
}

/**
 * The instant every e2e app starts at (noon in Shanghai): no test depends on the day it runs. The
 * clock then ticks with real time, so expiries, heartbeats and throttle windows behave as in
 * production; a test moves it further by assigning `clock.now`.
 */
export const TEST_NOW = '2026-12-02T04:00:00.000Z';

export function pinClock(clock: Clock, at: string): void {
  const start = Date.now();
  const origin = Date.parse(at);
  clock.now = () => new Date(origin + (Date.now() - start));
}

/** The real AppModule + configureApp on a fresh copy of the seeded template database. */
export async function createTestApp(
  opts: {
    empty?: boolean;
    env?: NodeJS.ProcessEnv;
    now?: string;
    /** a modified copy of the permission table to run on (default: PERMISSIONS) */
    permissions?: PermissionTable;
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(opts);
  const app = await NestFactory.create(AppModule.forRoot(database.config, opts.permissions), {
    logger: ['error'],
  });
  pinClock(app.get(Clock), opts.now ?? TEST_NOW);
  configureApp(app, database.config);
  await app.init();
  const server = app.getHttpServer();
  const agent = (token: string | null): Agent => {
    const wrap = (m: Method) => (url: string) => {
      const req = request(server)[m](url);
      return token ? req.set('authorization', `Bearer ${token}`) : req;
    };
    return {
      get: wrap('get'),
      post: wrap('post'),
      patch: wrap('patch'),
      put: wrap('put'),
      delete: wrap('delete'),
    };
  };
  const login = async (username: string, password: string) => {
    const r = await request(server).post('/api/auth/login').send({ username, password });
    if (r.status !== 200)
      throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.accessToken as string;
  };
  const adminToken = await login('admin', ADMIN_PASSWORD);
  const passwordChosen = (userId: number) =>
    app
      .get(Database)
      .transaction((em) => em.update(User, userId, { mustChangePassword: false }))
      .then(() => undefined);
  let users = 0;
  return {
    app,
    config: database.config,
    db: app.get(Database),
    now: () => app.get(Clock).now(),
    http: () => agent(adminToken),
    anon: () => agent(null),
    withToken: (token: string) => agent(token),
    login,
    passwordChosen,
    async as(role: string, regionId: number | null, username?: string) {
      const name = username ?? `${role}_${regionId ?? 'all'}_${++users}`;
      const password = 'User-Pass-123';
      const r = await agent(adminToken)
        .post('/api/users')
        .send({ username: name, password, role, regionId });
      if (r.status !== 201) throw new Error(`create user: ${r.status} ${JSON.stringify(r.body)}`);
      // a staffer who has already replaced the admin's initial password (the web would otherwise
      // send them to 修改密码 first; the API does not care)
      await passwordChosen(r.body.id as number);
      const token = await login(name, password);
      return Object.assign(agent(token), { userId: r.body.id as number, token });
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/** Exact decimal sum of decimal strings (BigInt on the digits; no floats). */
export function sumDecimals(values: (string | null)[], places = 6): string {
  let total = 0n;
  for (const v of values) {
    if (v === null) continue;
    const [w, f = ''] = v.split('.');
    total += BigInt(w + f.padEnd(places, '0'));
  }
  const s = total.toString().padStart(places + 1, '0');
  const frac = s.slice(-places).replace(/0+$/, '').padEnd(2, '0');
  return `${s.slice(0, -places)}.${frac}`;
}

/** supertest parser that keeps a binary body (a workbook) as one Buffer. */
export function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** The regions' ids by name (`连南瑶族自治县` → 3), as the admin reads `GET /api/regions`. */
export async function regionIds(t: Pick<TestApp, 'http'>): Promise<Record<string, number>> {
  const regions = (await t.http().get('/api/regions').expect(200)).body as {
    id: number;
    name: string;
  }[];
  return Object.fromEntries(regions.map((r) => [r.name, r.id]));
}

/** A workbook download (200, an xlsx): the workbook, its bytes and the file name it is sent under. */
export async function downloadXlsx(
  agent: Agent,
  url: string,
): Promise<{ wb: ExcelJS.Workbook; raw: Buffer; name: string }> {
  const res = await agent
    .get(url)
    .buffer(true)
    .parse(binary as never)
    .expect(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as never);
  const disposition = String(res.headers['content-disposition'] ?? '');
  const star = /filename\*=UTF-8''([^;]+)/.exec(disposition);
  return { wb, raw: res.body as Buffer, name: star ? decodeURIComponent(star[1]) : '' };
}

/** The workbook a URL answers (200, an xlsx). */
export const workbookAt = async (agent: Agent, url: string): Promise<ExcelJS.Workbook> =>
  (await downloadXlsx(agent, url)).wb;
