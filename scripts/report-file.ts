/**
 * `node dist/scripts/report-file.js MONTH [REGION] [OUTDIR]`: writes the 月度进展报表 of MONTH
 * (YYYY-MM) for REGION (an id or an exact name; the whole database when left out or "") from the
 * configured database (`data/tracker.sqlite` or DATABASE_URL), the same workbook the API serves,
 * into OUTDIR (default `data/reports`), and prints its path. Used by scripts/report-pdf.sh.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/app-config';
import { SYSTEM_ACTOR } from '../src/common/actor';
import { Database } from '../src/database/database';
import { Region } from '../src/regions/region.entity';
import { ReportDataService } from '../src/reports/report-data.service';
import { writeMonthlyReport } from '../src/reports/monthly-report.writer';

async function main(): Promise<void> {
  const [month, regionArg, outDir = path.join('data', 'reports')] = process.argv.slice(2);
  if (!month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
    throw new Error('usage: report-file MONTH(YYYY-MM) [REGION id or name] [OUTDIR]');
  }
  const config = {
    ...loadConfig({ ...process.env, SCHEDULER_ENABLED: 'false', ALERT_DELIVERY_INTERVAL_MS: '0' }),
  };
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  try {
    const db = app.get(Database);
    let regionId: number | undefined;
    if (regionArg) {
      const found = /^\d+$/.test(regionArg)
        ? await db.reader(Region).findBy({ id: Number(regionArg) })
        : await db.reader(Region).findBy({ name: regionArg });
      if (found.length !== 1) {
        const all = await db.reader(Region).find({ order: { path: 'ASC' } });
        throw new Error(
          `${found.length ? 'several regions' : 'no region'} "${regionArg}"; regions: ` +
            all.map((r) => `${r.id} ${r.name}`).join(', '),
        );
      }
      regionId = found[0].id;
    }
    const data = app.get(ReportDataService);
    const { path: scope, region } = await data.scope(SYSTEM_ACTOR, regionId);
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.resolve(
      outDir,
      `${region?.name ?? '全部地区'}学校建设项目月度进展报表-${month}.xlsx`,
    );
    await writeMonthlyReport(file, await data.load(month, scope, region));
    console.log(file);
  } finally {
    await app.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
