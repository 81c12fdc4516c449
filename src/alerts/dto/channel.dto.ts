import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DELIVERY_STATUSES, DeliveryStatus } from '../alert.entities';
import { CHANNEL_KINDS, CHANNEL_TOPICS, ChannelKind, ChannelTopic } from '../channel.entities';

/** One channel of `PUT /api/regions/:id/channels`. */
export class ChannelDto {
  /** An existing channel of the region (its stored URL and secret are kept when not sent). */
  @IsOptional() @IsInt() @Min(1) id?: number;

  @ApiProperty({ enum: CHANNEL_KINDS, description: 'wecom 企业微信 · dingtalk 钉钉 · email 邮件' })
  @IsDefined()
  @IsIn(CHANNEL_KINDS)
  kind: ChannelKind;

  /** What it is called (“局长群”). */
  @IsOptional() @IsString() @MaxLength(50) name?: string;

  /** The robot's webhook URL (a masked one as answered keeps the stored URL). */
  @IsOptional() @IsString() @MaxLength(500) url?: string;

  /** 钉钉 加签 secret: write-only; omitted keeps the stored one, "" removes it. */
  @IsOptional() @IsString() @MaxLength(200) secret?: string;

  /** E-mail addresses. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  recipients?: string[];

  @ApiProperty({
    enum: CHANNEL_TOPICS,
    isArray: true,
    description: 'alerts 预警 · reminders 催报 · submissions 报送/审核结果 · reports 月报分发',
  })
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(4)
  @IsIn(CHANNEL_TOPICS, { each: true })
  topics: ChannelTopic[];
}

export class PutChannelsDto {
  @ApiProperty({
    type: [ChannelDto],
    description: 'The region’s channels, all of them (those left out are deleted)',
  })
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ChannelDto)
  channels: ChannelDto[];
}

export class TestChannelDto {
  /** The channel to send a test message to. */
  @IsDefined() @IsInt() @Min(1) channelId: number;
}

export class DeliveriesQuery {
  /** One region's channels (default: every region in the caller's scope). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) regionId?: number;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  /** Page number, from 1. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;

  /** Page size, at most 200. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) pageSize?: number;
}
