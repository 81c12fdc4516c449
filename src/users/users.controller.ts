import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { Idempotent } from '../idempotency/idempotency';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  list(@CurrentActor() actor: Actor) {
    return this.users.list(actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user (admin)' })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number) {
    return this.users.get(actor, id);
  }

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Create a user with a role and a region (admin)' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto) {
    return this.users.create(actor, dto);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change role, region, or disable/enable a user (admin)' })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateUserDto,
  ) {
    return this.users.update(actor, id, dto);
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set a new password for a user (admin)' })
  resetPassword(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: ResetPasswordDto,
  ) {
    return this.users.resetPassword(actor, id, dto);
  }
}
