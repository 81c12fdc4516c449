import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';

/** The clock ("today" in business time), for every module. */
@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class CommonModule {}
