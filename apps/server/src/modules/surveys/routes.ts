import {
  AnswerSurvey,
  IdParams,
  pageOf,
  Survey,
  SurveyQuery,
  SurveySummary,
  SurveySummaryQuery,
} from '@serviceloop/contracts';
import type { HttpApp } from '../../platform/http/app';
import { type Access, needs, scopeFilter } from '../identity/index';
import type { SurveyService } from './service';
import { surveys } from './tables';

export function surveyRoutes(access: Access, service: SurveyService) {
  const tags = ['surveys'];
  const scope = (request: Parameters<Access['actor']>[0]) =>
    scopeFilter(request.grant!, access.actor(request), { organisation: surveys.customerId });
  return (app: HttpApp) => {
    app.get(
      '/surveys',
      {
        config: needs('survey', 'read'),
        schema: { tags, querystring: SurveyQuery, response: { 200: pageOf(Survey) } },
      },
      async (request) => service.list(scope(request), request.query),
    );
    // The KPI, not anyone's answers: for those who read analytics.
    app.get(
      '/surveys/summary',
      {
        config: needs('analytics', 'read'),
        schema: { tags, querystring: SurveySummaryQuery, response: { 200: SurveySummary } },
      },
      async (request) => service.summary(request.query),
    );
    app.get(
      '/surveys/:id',
      { config: needs('survey', 'read'), schema: { tags, params: IdParams, response: { 200: Survey } } },
      async (request) => service.get(request.params.id, scope(request)),
    );
    app.post(
      '/surveys/:id/answer',
      {
        config: needs('survey', 'update'),
        schema: { tags, params: IdParams, body: AnswerSurvey, response: { 200: Survey } },
      },
      async (request) => service.answer(request.params.id, scope(request), request.body, access.actor(request)),
    );
  };
}
