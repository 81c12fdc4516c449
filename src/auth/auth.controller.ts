import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LogoutView, MeView, SessionView } from './dto/session.view';
import type { Request, Response } from 'express';
import { Actor, CurrentActor } from '../common/actor';
import { Public } from '../common/auth.decorators';
import { Permissions } from '../common/permissions.service';
import { AuthService } from './auth.service';
import { ChangePasswordDto, LoginDto } from './dto/login.dto';
import { sessionAnswer, setSessionCookie } from './web-session';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly permissions: Permissions,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Exchange username and password for a short-lived bearer token (429 after repeated failures, or LOGIN_BUSY while too many sign-ins wait); with X-Tracker-Client: web the token is set as an HttpOnly cookie and left out of the answer',
  })
  @ApiOkResponse({ type: SessionView })
  async login(
    @Body() dto: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionView> {
    const answer = await this.auth.login(dto.username, dto.password, req.ip ?? 'unknown');
    return sessionAnswer(req, res, answer);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'A new token for the same session while the current one is valid (idle sign-out after SESSION_IDLE_MINUTES; at most SESSION_MAX_HOURS); for X-Tracker-Client: web only in the cookie',
  })
  @ApiOkResponse({ type: SessionView })
  async refresh(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionView> {
    const answer = await this.auth.refresh(actor);
    return sessionAnswer(req, res, answer);
  }

  @Post('logout')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End this session: its tokens answer 401 from now on' })
  @ApiOkResponse({ type: LogoutView })
  async logout(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LogoutView> {
    const answer = await this.auth.logout(actor);
    setSessionCookie(req, res, null);
    return answer;
  }

  @Post('password')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Change your own password (old + new): every token of yours is revoked; a new one is returned',
  })
  @ApiOkResponse({ type: SessionView })
  async changePassword(
    @CurrentActor() actor: Actor,
    @Body() dto: ChangePasswordDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionView> {
    const answer = await this.auth.changePassword(actor, dto.oldPassword, dto.newPassword);
    return sessionAnswer(req, res, answer);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'The signed-in user: id, username, displayName (姓名, null when none), role, region, mustChangePassword (a password set by an admin, to be changed in the web), and can: the actions the permission table allows the role',
  })
  @ApiOkResponse({ type: MeView })
  async me(@CurrentActor() actor: Actor): Promise<MeView> {
    return {
      ...actor,
      ...(await this.auth.account(actor)),
      can: this.permissions.allowed(actor),
    };
  }
}
