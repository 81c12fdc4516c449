import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from '../common/actor';

@Entity()
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  @Index({ unique: true })
  @Column('varchar', { length: 50 })
  username: string;

  /** `scrypt$N$r$p$salt$hash`; never logged, never returned. */
  @Column('varchar', { length: 300 })
  passwordHash: string;

  /** 姓名, shown wherever the user is named; the username stays the login. */
  @Column('varchar', { length: 50, nullable: true })
  displayName: string | null;

  /** 手机号 */
  @Column('varchar', { length: 20, nullable: true })
  phone: string | null;

  @Column('varchar', { length: 20 })
  role: Role;

  /** Scope: this region and everything below it; null = everything. */
  @Column('integer', { nullable: true })
  regionId: number | null;

  @Column('boolean', { default: false })
  disabled: boolean;

  /**
   * The password was set by an admin (a new account's initial password, a reset): the web sends
   * the user to 修改密码 until they choose their own. The API does not block on it.
   */
  @Column('boolean', { default: false })
  mustChangePassword: boolean;

  @Column('integer', { default: 1 })
  version: number;

  /**
   * Tokens carry the generation they were issued under: a password reset or change, a disable, a
   * role or region change adds one, and every token issued before stops working on its next request.
   */
  @Column('integer', { default: 0 })
  tokenGeneration: number;

  @Column('varchar', { length: 30 })
  createdAt: string;

  @Column('varchar', { length: 30 })
  updatedAt: string;
}

/** One sign-in: renewed while the user is active, ended by logout (or by the generation changing). */
@Entity()
export class AuthSession {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index()
  @Column('integer')
  userId: number;

  @Column('varchar', { length: 30 })
  createdAt: string;

  @Column('varchar', { length: 30 })
  refreshedAt: string;

  @Column('varchar', { length: 30, nullable: true })
  endedAt: string | null;
}

/** Small key/value settings the instances share (e.g. the generated token secret). */
@Entity()
export class AppSetting {
  @Column('varchar', { primary: true, length: 100 })
  key: string;

  @Column('text')
  value: string;
}
