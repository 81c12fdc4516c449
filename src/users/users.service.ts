import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService, diffViews } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { hashPassword } from '../auth/password';
import { passwordProblem } from '../auth/password-policy';
import { User } from '../auth/user.entity';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import {
  AppError,
  FieldError,
  fieldError,
  InvalidInput,
  NotFound,
  ruleViolation,
  VersionConflict,
} from '../common/errors';
import { Database } from '../database/database';
import { updateVersioned } from '../database/versioned-update';
import { Region } from '../regions/region.entity';
import { RegionsService } from '../regions/regions.service';
import { CreateUserDto, ResetPasswordDto, UpdateUserDto } from './dto/user.dto';
import { UserView } from './dto/user.view';

const view = (u: User): UserView => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  phone: u.phone,
  role: u.role,
  regionId: u.regionId,
  disabled: u.disabled,
  mustChangePassword: u.mustChangePassword,
  version: u.version,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
});

/** User administration (admin only); an admin manages the users inside their own region. */
@Injectable()
export class UsersService {
  constructor(
    private readonly db: Database,
    private readonly regions: RegionsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly auth: AuthService,
  ) {}

  async list(actor: Actor) {
    const all = await this.db.reader(User).find({ order: { id: 'ASC' } });
    const items: UserView[] = [];
    for (const u of all) if (await this.regions.holds(actor, u.regionId)) items.push(view(u));
    return { items, total: items.length, page: 1, pageSize: items.length };
  }

  private async findInScope(actor: Actor, id: number, em?: EntityManager): Promise<User> {
    const u = await (em ?? this.db.read.manager).findOneBy(User, { id });
    if (!u || !(await this.regions.holds(actor, u.regionId))) throw new NotFound('用户');
    return u;
  }

  async get(actor: Actor, id: number): Promise<UserView> {
    return view(await this.findInScope(actor, id));
  }

  /** A region the actor may assign: inside their scope; null (everything) only for admins by a global admin. */
  private async regionProblem(
    actor: Actor,
    regionId: number | null,
    role: User['role'],
  ): Promise<FieldError | null> {
    if (regionId === null)
      return role !== 'admin' || actor.regionId !== null
        ? fieldError('regionId', 'FIELD_REQUIRED')
        : null;
    if (
      !(await this.db.reader(Region).existsBy({ id: regionId })) ||
      !(await this.regions.holds(actor, regionId))
    )
      return fieldError('regionId', 'REGION_NOT_FOUND');
    return null;
  }

  private async checkRegion(
    actor: Actor,
    regionId: number | null,
    role: User['role'],
  ): Promise<void> {
    const problem = await this.regionProblem(actor, regionId, role);
    if (problem) throw new InvalidInput([problem]);
  }

  async create(actor: Actor, dto: CreateUserDto): Promise<UserView> {
    const regionId = dto.regionId ?? null;
    // every problem at once: the region and the name (the DTO has checked the rest, the password included)
    const problems = [await this.regionProblem(actor, regionId, dto.role)];
    if (await this.db.reader(User).existsBy({ username: dto.username }))
      problems.push(fieldError('username', 'USERNAME_TAKEN', dto.username));
    if (problems.some(Boolean))
      throw new InvalidInput(problems.filter((p): p is FieldError => p !== null));
    const passwordHash = await hashPassword(dto.password); // outside the write lock: it is slow on purpose
    return this.db.transaction(async (em) => {
      if (await em.existsBy(User, { username: dto.username }))
        throw ruleViolation('username', 'USERNAME_TAKEN', dto.username);
      const now = this.clock.now().toISOString();
      const u = await em.save(
        User,
        em.create(User, {
          username: dto.username,
          displayName: dto.displayName?.trim() || null,
          phone: dto.phone?.trim() || null,
          passwordHash,
          role: dto.role,
          regionId,
          disabled: false,
          // an initial password an admin chose: the user replaces it at the next web sign-in
          mustChangePassword: true,
          version: 1,
          createdAt: now,
          updatedAt: now,
        }),
      );
      await this.audit.record(em, actor, {
        action: 'create',
        entity: 'user',
        entityId: u.id,
        changes: {
          ...diffViews(null, view(u) as unknown as Record<string, unknown>, [
            'id',
            'version',
            'createdAt',
            'updatedAt',
          ]),
          password: { old: null, new: '（已设置）' },
        },
      });
      return view(u);
    });
  }

  async update(actor: Actor, id: number, dto: UpdateUserDto): Promise<UserView> {
    return this.db.transaction(async (em) => {
      const u = await this.findInScope(actor, id, em);
      if (u.version !== dto.version) throw new VersionConflict();
      if (u.id === actor.id && dto.disabled) throw ruleViolation('disabled', 'CANNOT_DISABLE_SELF');
      if (u.id === actor.id && dto.role !== undefined && dto.role !== u.role)
        throw ruleViolation('role', 'CANNOT_CHANGE_OWN_ROLE');
      const next: User = { ...u };
      if (dto.role !== undefined) next.role = dto.role;
      if (dto.regionId !== undefined) next.regionId = dto.regionId;
      if (dto.disabled !== undefined) next.disabled = dto.disabled;
      if (dto.displayName !== undefined) next.displayName = dto.displayName?.trim() || null;
      if (dto.phone !== undefined) next.phone = dto.phone?.trim() || null;
      if (dto.role !== undefined || dto.regionId !== undefined)
        await this.checkRegion(actor, next.regionId, next.role);
      next.updatedAt = this.clock.now().toISOString();
      await updateVersioned(em, User, id, dto.version, {
        role: next.role,
        regionId: next.regionId,
        disabled: next.disabled,
        displayName: next.displayName,
        phone: next.phone,
        updatedAt: next.updatedAt,
      });
      next.version = u.version + 1;
      // a disable, a role or a region change ends every session of the user at once
      if (next.disabled !== u.disabled || next.role !== u.role || next.regionId !== u.regionId)
        await AuthService.revokeAll(em, id, next.updatedAt);
      await this.audit.record(em, actor, {
        action: dto.disabled === true && !u.disabled ? 'disable' : 'update',
        entity: 'user',
        entityId: id,
        changes: diffViews(
          view(u) as unknown as Record<string, unknown>,
          view(next) as unknown as Record<string, unknown>,
        ),
      });
      return view(next);
    });
  }

  async resetPassword(actor: Actor, id: number, dto: ResetPasswordDto): Promise<UserView> {
    const target = await this.findInScope(actor, id);
    // the rule needs the account's name, so it is applied here rather than in the DTO
    const problem = passwordProblem(dto.password, target.username);
    if (problem) throw new InvalidInput([fieldError('password', problem)]);
    const passwordHash = await hashPassword(dto.password);
    const answer = await this.db.transaction(async (em) => {
      const u = await this.findInScope(actor, id, em);
      const updatedAt = this.clock.now().toISOString();
      const r = await em
        .createQueryBuilder()
        .update(User)
        .set({ passwordHash, mustChangePassword: true, updatedAt, version: () => 'version + 1' })
        .where('id = :id', { id })
        .execute();
      if (r.affected !== 1) throw new AppError(409, 'VERSION_CONFLICT');
      await AuthService.revokeAll(em, id, updatedAt);
      await this.audit.record(em, actor, {
        action: 'reset_password',
        entity: 'user',
        entityId: id,
        changes: {
          password: { old: '（已隐藏）', new: '（已重置）' },
          ...(u.mustChangePassword ? {} : { mustChangePassword: { old: false, new: true } }),
        },
      });
      return view({ ...u, mustChangePassword: true, updatedAt, version: u.version + 1 });
    });
    // the officer who was locked out signs in with the new password at once
    this.auth.throttle.forgetUser(target.username);
    return answer;
  }
}
