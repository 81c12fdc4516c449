import { Module } from '@nestjs/common';
import { FiguresService } from './figures.service';

/** The read model of a project's figures as of a day. */
@Module({ providers: [FiguresService], exports: [FiguresService] })
export class FiguresModule {}
