import { Controller, Get, Logger, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthView } from './health.view';
import { Public } from '../common/auth.decorators';
import { Database } from '../database/database';

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');

  constructor(private readonly db: Database) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness and database check: 200 when the database answers, else 503' })
  @ApiOkResponse({ type: HealthView })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer' })
  async check(): Promise<HealthView> {
    try {
      await this.db.write.query('SELECT 1');
      if (this.db.read !== this.db.write) await this.db.read.query('SELECT 1');
      return { status: 'ok', database: 'up', dialect: this.db.dialect };
    } catch (e) {
      // say why, for whoever reads the logs when the probe fails
      this.logger.error(`database check failed: ${e instanceof Error ? e.message : String(e)}`);
      throw new ServiceUnavailableException();
    }
  }
}
