import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Long work (a large report or import) run in the background with a status URL. */
@Entity()
export class Job {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 30 })
  kind: 'monthly_report' | 'project_import' | 'project_export';

  @Column('varchar', { length: 10 })
  status: 'queued' | 'running' | 'done' | 'failed';

  @Column('integer', { default: 0 })
  percent: number;

  @Column('integer', { nullable: true })
  createdById: number | null;

  @Column('varchar', { length: 100 })
  createdBy: string;

  /** The creator's region when it was started (null = everything): the job is visible in that scope only. */
  @Column('integer', { nullable: true })
  regionId: number | null;

  /** File name offered for download, when the result is a file. */
  @Column('varchar', { length: 200, nullable: true })
  resultName: string | null;

  @Column('varchar', { length: 500, nullable: true })
  resultPath: string | null;

  /** JSON result (import summary) or error body. */
  @Column('text', { nullable: true })
  result: string | null;

  @Column('varchar', { length: 30 })
  createdAt: string;

  @Column('varchar', { length: 30, nullable: true })
  finishedAt: string | null;

  /**
   * Renewed while the job runs; a queued or running job whose heartbeat stopped was left by a
   * process that died, and is marked failed (safe with several instances on one database).
   */
  @Column('varchar', { length: 30, nullable: true })
  heartbeatAt: string | null;

  /**
   * The process running it (`host/pid/boot`): at start, an open job whose runner was this host's
   * previous process (or a pid no longer alive) is failed at once, without waiting for its heartbeat.
   */
  @Column('varchar', { length: 200, nullable: true })
  runner: string | null;
}
