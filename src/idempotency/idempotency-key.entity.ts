import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One `Idempotency-Key` a user sent with a creating POST (issue 30 point 3). The row is reserved
 * (statusCode null) before the request runs, so a concurrent repeat finds it through the unique
 * (userId, key) constraint, and is completed with the answer (status and JSON body) afterwards.
 * Kept 24 hours (`expiresAt`), then purged.
 */
@Entity()
@Index(['userId', 'key'], { unique: true })
export class IdempotencyKey {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('integer')
  userId: number;

  @Column('varchar', { length: 100 })
  key: string;

  /** sha256 of method, path and the canonical JSON body: the same key with another body is refused. */
  @Column('varchar', { length: 64 })
  requestHash: string;

  /** Who holds the reservation while the request runs (a random token per arrival). */
  @Column('varchar', { length: 36 })
  owner: string;

  /** The answer's status; null while the first request is still running. */
  @Column('integer', { nullable: true })
  statusCode: number | null;

  /** The answer's JSON body, as sent. */
  @Column('text', { nullable: true })
  responseBody: string | null;

  @Column('varchar', { length: 30 })
  createdAt: string;

  @Index()
  @Column('varchar', { length: 30 })
  expiresAt: string;
}
