import { Module } from '@nestjs/common';
import { RegionsModule } from '../regions/regions.module';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** User administration. */
@Module({ imports: [RegionsModule], controllers: [UsersController], providers: [UsersService] })
export class UsersModule {}
