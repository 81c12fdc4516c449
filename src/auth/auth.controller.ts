import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Actor, CurrentActor } from '../common/actor';
import { Public } from '../common/auth.decorators';
import { AuthService } from './auth.service';
import { ChangePasswordDto, LoginDto } from './dto/login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Exchange username and password for a short-lived bearer token (429 after repeated failures)',
  })
  login(@Body() dto: LoginDto, @Req() req: Request) {
    return this.auth.login(dto.username, dto.password, req.ip ?? 'unknown');
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'A new token for the same session while the current one is valid (idle sign-out after SESSION_IDLE_MINUTES; at most SESSION_MAX_HOURS)',
  })
  refresh(@CurrentActor() actor: Actor) {
    return this.auth.refresh(actor);
  }

  @Post('logout')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End this session: its tokens answer 401 from now on' })
  logout(@CurrentActor() actor: Actor) {
    return this.auth.logout(actor);
  }

  @Post('password')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Change your own password (old + new): every token of yours is revoked; a new one is returned',
  })
  changePassword(@CurrentActor() actor: Actor, @Body() dto: ChangePasswordDto) {
    return this.auth.changePassword(actor, dto.oldPassword, dto.newPassword);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user: id, username, role, region' })
  me(@CurrentActor() actor: Actor) {
    return actor;
  }
}
