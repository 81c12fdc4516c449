import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can } from '../common/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { PutCalendarDto } from './dto/calendar.dto';
import { WorkCalendarView } from './dto/calendar.view';
import { WorkCalendar } from './work-calendar.service';
import { YearPipe } from './year.pipe';

@ApiTags('admin')
@ApiBearerAuth()
@Can('calendar.admin')
@Controller('admin/calendar')
export class WorkCalendarController {
  constructor(private readonly calendar: WorkCalendar) {}

  @Get(':year')
  @ApiOperation({
    summary:
      'The reporting calendar of a year: the admin’s overrides, whether chinese-days covers the year, and the due dates (admin)',
  })
  @ApiOkResponse({ type: WorkCalendarView })
  get(@Param('year', YearPipe) year: number): Promise<WorkCalendarView> {
    return this.calendar.get(year);
  }

  @Put(':year')
  @ApiOperation({
    summary:
      'Replace a year’s overrides (holidays and 调休 working days of a notice newer than the package); admin over everything; audited',
  })
  @ApiOkResponse({ type: WorkCalendarView })
  put(
    @CurrentActor() actor: Actor,
    @Param('year', YearPipe) year: number,
    @Body() dto: PutCalendarDto,
  ): Promise<WorkCalendarView> {
    return this.calendar.put(actor, year, dto.days);
  }
}
