import type { Survey } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Input, Rate, Result, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, get, post } from '../lib/api';
import { useMessage } from '../lib/message';

const NPS_SCORES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** CSAT (unless given while signing) and NPS 0–10, big enough to tap. */
export function SurveyCard({ surveyId }: { surveyId: string }) {
  const { t } = useTranslation();
  const message = useMessage();
  const client = useQueryClient();
  const [csat, setCsat] = useState<number>(0);
  const [nps, setNps] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const survey = useQuery({ queryKey: ['survey', surveyId], queryFn: () => get<Survey>(`/surveys/${surveyId}`) });
  const s = survey.data;
  if (!s) return null;
  if (s.state === 'answered')
    return (
      <Card size="small" id="survey">
        <Result status="success" title={t('portal.survey.thanks')} data-testid="survey-done" />
      </Card>
    );
  const asksCsat = s.csatSource !== 'confirmation';
  const submit = async () => {
    try {
      await post(`/surveys/${s.id}/answer`, { csat: asksCsat ? csat : null, nps, comment: comment || null });
      await client.invalidateQueries({ queryKey: ['survey', surveyId] });
      await client.invalidateQueries({ queryKey: ['surveys'] });
      await client.invalidateQueries({ queryKey: ['ticket', s.ticketId] });
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Card size="small" title={t('portal.survey.title')} id="survey" data-testid="survey">
      <Space direction="vertical" style={{ width: '100%' }}>
        {asksCsat && (
          <>
            <Typography.Text>{t('portal.survey.csat')}</Typography.Text>
            <Rate
              allowClear={false}
              value={csat}
              onChange={setCsat}
              style={{ fontSize: 28 }}
              data-testid="survey-csat"
            />
          </>
        )}
        <Typography.Text>{t('portal.survey.nps')}</Typography.Text>
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(11, 1fr)', gap: 2 }}>
          {NPS_SCORES.map((score) => (
            <Button
              key={score}
              size="small"
              type={nps === score ? 'primary' : 'default'}
              onClick={() => setNps(score)}
              data-testid={`nps-${score}`}
              style={{ padding: 0 }}
            >
              {score}
            </Button>
          ))}
        </div>
        <div style={{ display: 'flex', justifyContent: 'space-between', fontSize: 12, color: '#888' }}>
          <span>{t('portal.survey.unlikely')}</span>
          <span>{t('portal.survey.likely')}</span>
        </div>
        <Input.TextArea
          rows={2}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          placeholder={t('portal.survey.comment')}
        />
        <Button
          type="primary"
          block
          disabled={nps === null || (asksCsat && !csat)}
          onClick={submit}
          data-testid="survey-submit"
        >
          {t('portal.survey.submit')}
        </Button>
      </Space>
    </Card>
  );
}
