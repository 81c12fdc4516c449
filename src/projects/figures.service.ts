import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Database } from '../database/database';
import { bindNamed } from '../database/raw-sql';
import { FigureColumn, figureColumns, FIGURES_BY_IDS_PG, fundingBySourceSql } from './figures.sql';
import {
  FigureRow,
  ProjectFigures,
  readFigures,
  readFundingBySource,
  SourceFigures,
} from './project-figures';

const ALL: readonly FigureColumn[] = [
  'status',
  'progress_percent',
  'investment',
  'last_reported_on',
  'budget',
  'committed',
  'received',
  'paid',
];

/** The figures of given projects as of a day — the one reader every service calls. */
@Injectable()
export class FiguresService {
  constructor(private readonly db: Database) {}

  /** Figures of the given projects as of a day; inside a transaction when `em` is given. */
  async figures(
    ids: number[],
    asOf: string,
    em?: EntityManager,
  ): Promise<Map<number, ProjectFigures>> {
    const out = new Map<number, ProjectFigures>();
    if (!ids.length) return out;
    type Row = FigureRow & { id: unknown };
    let rows: Row[];
    if (this.db.dialect === 'postgres') {
      const params = [asOf, ids];
      rows = em
        ? ((await em.query(FIGURES_BY_IDS_PG, params)) as Row[])
        : await this.db.selectPrepared<Row>('figures_by_ids', FIGURES_BY_IDS_PG, params);
    } else {
      const [sql, params] = bindNamed(
        this.db.dialect,
        `SELECT pr.id AS id, ${figureColumns(ALL)} FROM project pr WHERE pr.id IN (:ids)`,
        { asOf, ids },
      );
      rows = (await (em ?? this.db.read.manager).query(sql, params)) as Row[];
    }
    for (const r of rows) out.set(Number(r.id), readFigures(r));
    return out;
  }

  async one(id: number, asOf: string, em?: EntityManager): Promise<ProjectFigures | null> {
    return (await this.figures([id], asOf, em)).get(id) ?? null;
  }

  /**
   * Money by funding source and stage as of `params.asOf`, over the projects of a CTE named `pf`
   * (`with`: `WITH pf AS (…)`, selecting at least `id` and `status` as of the day) — the one
   * roll-up by source (the funding summary and the monthly report).
   */
  async fundingBySource(with_: string, params: Record<string, unknown>): Promise<SourceFigures[]> {
    return readFundingBySource(
      await this.db.select<Record<string, unknown>>(
        `${with_} ${fundingBySourceSql('pf', this.db.dialect)}`,
        params,
      ),
    );
  }
}
