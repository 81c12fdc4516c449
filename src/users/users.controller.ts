import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { Idempotent } from '../idempotency/idempotency';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { UserPageView, UserView } from './dto/user.view';
import { Can } from '../common/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { IdPipe } from '../common/id.pipe';
import { CreateUserDto, ResetPasswordDto, UpdateUserDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Can('user.admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'Users in the admin’s region (admin)' })
  @ApiOkResponse({ type: UserPageView })
  list(@CurrentActor() actor: Actor): Promise<UserPageView> {
    return this.users.list(actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user (admin)' })
  @ApiOkResponse({ type: UserView })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<UserView> {
    return this.users.get(actor, id);
  }

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Create a user with a role and a region (admin)' })
  @ApiCreatedResponse({ type: UserView })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserView> {
    return this.users.create(actor, dto);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change role, region, or disable/enable a user (admin)' })
  @ApiOkResponse({ type: UserView })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateUserDto,
  ): Promise<UserView> {
    return this.users.update(actor, id, dto);
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set a new password for a user (admin)' })
  @ApiOkResponse({ type: UserView })
  resetPassword(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: ResetPasswordDto,
  ): Promise<UserView> {
    return this.users.resetPassword(actor, id, dto);
  }
}
