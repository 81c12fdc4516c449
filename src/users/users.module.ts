import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RegionsModule } from '../regions/regions.module';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** User administration. */
@Module({
  imports: [AuthModule, RegionsModule],
  controllers: [UsersController],
  providers: [UsersService],
})
export class UsersModule {}
