import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { PERMISSIONS, PermissionTable } from './permissions';
import { PERMISSION_TABLE, Permissions } from './permissions.service';

/**
 * The clock ("today" in business time) and the permission table, for every module. A test may run
 * the app on a modified copy of the table (`createTestApp({ permissions })`).
 */
@Global()
@Module({})
export class CommonModule {
  static forRoot(permissions: PermissionTable = PERMISSIONS): DynamicModule {
    return {
      module: CommonModule,
      providers: [Clock, { provide: PERMISSION_TABLE, useValue: permissions }, Permissions],
      exports: [Clock, Permissions, PERMISSION_TABLE],
    };
  }
}
