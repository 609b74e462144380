import {
  HolidayCoverage,
  HolidayYearDays,
  ImportedHolidays,
  ImportHolidays,
  SaveHolidayYear,
} from '@serviceloop/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { HttpApp } from '../../platform/http/app';
import { type Access, eventActor, needs } from '../identity/index';
import type { HolidaySchedule } from './holiday-schedule';

const YearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

/** China's holiday schedule: what the calendars know, and entering or importing a year they lack. */
export function holidayRoutes(access: Access, schedule: HolidaySchedule) {
  const tags = ['sla'];
  const actor = (request: FastifyRequest) => eventActor(access.actor(request));
  return (app: HttpApp) => {
    app.get(
      '/sla/holidays',
      { config: needs('slaPolicy', 'read'), schema: { tags, response: { 200: HolidayCoverage } } },
      async () => schedule.coverage(),
    );

    app.put(
      '/sla/holidays/:year',
      {
        config: needs('slaPolicy', 'update'),
        schema: { tags, params: YearParams, body: SaveHolidayYear, response: { 200: HolidayYearDays } },
      },
      async (request) => schedule.enter(request.params.year, request.body, actor(request)),
    );

    app.post(
      '/sla/holidays/import',
      {
        config: needs('slaPolicy', 'update'),
        schema: { tags, body: ImportHolidays, response: { 200: ImportedHolidays } },
      },
      async (request) => schedule.import(request.body.ics, actor(request)),
    );
  };
}
