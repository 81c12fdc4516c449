import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Actor, CurrentActor } from '../common/actor';
import { Can, Public } from '../common/auth.decorators';
import { AppError } from '../common/errors';
import { IdPipe } from '../common/id.pipe';
import { ApiXlsxResponse, sendXlsx } from '../excel/send-xlsx';
import { ChannelsService } from './channels.service';
import { DeliveriesQuery, PutChannelsDto, TestChannelDto } from './dto/channel.dto';
import {
  DeliveryPageView,
  DeliveryView,
  RegionChannelsView,
  SharedLinkView,
} from './dto/channel.view';

/** The small page a browser gets for a link that no longer (or never did) serve a file. */
function sharedLinkPage(title: string, text: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} - 学校建设项目管理系统</title>
<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;padding:48px 20px;color:#303133;background:#f5f7fa}
main{max-width:480px;margin:0 auto;background:#fff;border:1px solid #dcdfe6;border-radius:6px;padding:24px 28px}
h1{font-size:20px;margin:0 0 12px}p{font-size:16px;line-height:1.7;margin:0}</style></head>
<body><main><h1>${title}</h1><p>${text}</p></main></body></html>
`;
}

/** 通知设置, 发送记录 and the 钉钉 download links (docs/api.md "Channels and deliveries"). */
@ApiTags('channels')
@ApiBearerAuth()
@Controller()
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Get('regions/:id/channels')
  @Can('channels.manage')
  @ApiOperation({
    summary: 'A region’s notification channels (URLs masked, secrets never answered)',
  })
  @ApiOkResponse({ type: RegionChannelsView })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<RegionChannelsView> {
    return this.channels.get(actor, id);
  }

  @Put('regions/:id/channels')
  @Can('channels.manage')
  @ApiOperation({
    summary:
      'Replaces a region’s channels; an item with its id and no url/secret (or the masked url) keeps the stored ones',
  })
  @ApiOkResponse({ type: RegionChannelsView })
  put(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: PutChannelsDto,
  ): Promise<RegionChannelsView> {
    return this.channels.put(actor, id, dto.channels);
  }

  @Post('regions/:id/channels/test')
  @HttpCode(200)
  @Can('channels.manage')
  @ApiOperation({ summary: '发送测试消息: sends one now; answers its delivery log entry' })
  @ApiOkResponse({ type: DeliveryView })
  test(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: TestChannelDto,
  ): Promise<DeliveryView> {
    return this.channels.test(actor, id, dto.channelId);
  }

  @Get('deliveries')
  @Can('channels.manage')
  @ApiOperation({ summary: 'The delivery log (发送记录): newest first' })
  @ApiOkResponse({ type: DeliveryPageView })
  deliveries(@CurrentActor() actor: Actor, @Query() q: DeliveriesQuery): Promise<DeliveryPageView> {
    return this.channels.deliveries(actor, q);
  }

  @Get('shared/:token')
  @Public()
  @ApiOperation({
    summary: 'A 钉钉 download link: the one workbook, no sign-in; 410 once expired or revoked',
  })
  @ApiXlsxResponse('The frozen workbook')
  async shared(
    @Param('token') token: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    let f: { file: string; name: string };
    try {
      f = await this.channels.openShared(token, {
        ip: req.ip ?? null,
        userAgent: req.get('user-agent') ?? null,
      });
    } catch (e) {
      // a browser (the link opened from a 钉钉 group) gets a page in words; API clients JSON
      if (!(e instanceof AppError) || req.accepts(['json', 'html']) !== 'html') throw e;
      const [title, text] =
        e.code === 'LINK_EXPIRED'
          ? ['链接已过期', '这个下载链接已过有效期']
          : e.code === 'LINK_REVOKED'
            ? ['链接已被撤销', '这个下载链接已被发送人撤销']
            : ['链接不存在', '没有找到这个下载链接'];
      res
        .status(e.status)
        .type('html')
        .set('cache-control', 'no-store')
        .send(sharedLinkPage(title, `${text}，请向发送人索取新的链接。`));
      return;
    }
    sendXlsx(res, f.file, f.name, false, 'report');
  }

  @Delete('shared/:token')
  @Can('channels.manage')
  @ApiOperation({ summary: 'Revokes a download link (it answers 410 from then on)' })
  @ApiOkResponse({ type: SharedLinkView })
  revoke(@CurrentActor() actor: Actor, @Param('token') token: string): Promise<SharedLinkView> {
    return this.channels.revoke(actor, token);
  }
}
