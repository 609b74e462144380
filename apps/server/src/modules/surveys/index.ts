/**
 * surveys — the CSAT (1–5) and NPS (0–10) survey a customer gets when a ticket closes: created
 * by a subscriber to the closing events (once per ticket), offered in the portal and, when SMTP is
 * configured, by mail; answers stored; NPS and response rate summarised for analytics.
 */
import { eq } from 'drizzle-orm';
import type { HttpModule } from '../../platform/http/app';
import { publicUrl } from '../../platform/http/public-url';
import { registerMessages } from '../../platform/i18n';
import type { Platform } from '../../platform/index';
import type { Mailer } from '../../platform/mail';
import type { Access } from '../identity/index';
import { registerSurveysReactions } from './reactions';
import { surveyRoutes } from './routes';
import { EMAIL_QUEUE, SurveyService } from './service';
import { surveys } from './tables';

export { npsGroup, summarise } from './nps';
export { latestSurveyOf } from './reads';
export { SurveyService } from './service';

registerMessages({
  'entity.survey': { 'zh-CN': '满意度调查', 'en-US': 'Survey' },
  'survey.already_answered': {
    'zh-CN': '该调查已提交，感谢您的评价',
    'en-US': 'This survey has been answered already',
  },
});

export interface SurveysModule {
  http: HttpModule;
  service: SurveyService;
}

export function createSurveysModule(platform: Platform, access: Access, mailer: Mailer): SurveysModule {
  const service = new SurveyService(platform);
  registerSurveysReactions(platform, service);
  platform.jobs.handle(EMAIL_QUEUE, async (job, tx) => {
    const { surveyId, to } = job.payload as { surveyId: string; to: string };
    const link = `${publicUrl(platform.config)}/portal/surveys/${surveyId}`;
    const sent = await mailer.send({
      to,
      subject: '服务满意度调查 / How did we do?',
      text: `您好！您的服务工单已完成，请花一分钟为本次服务评分：\n${link}\n\nYour service request is complete. Please rate our service:\n${link}\n`,
    });
    if (sent) {
      await tx.update(surveys).set({ emailedAt: platform.clock.now() }).where(eq(surveys.id, surveyId));
    }
  });
  return { service, http: { name: 'surveys', routes: surveyRoutes(access, service) } };
}
