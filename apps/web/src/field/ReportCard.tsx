import { FilePdfOutlined, MailOutlined } from '@ant-design/icons';
import { App, Button, Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, post } from '../lib/api';
import type { ShownJob } from './projection';

/**
 * The service report (服务报告单) with the customer's signature, once the signed confirmation has
 * reached the server: opened on the phone, or mailed to the ticket's contact.
 */
export function ReportCard({ job }: { job: ShownJob }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [sending, setSending] = useState(false);
  const synced = job.pendingOps === 0;
  const send = async () => {
    setSending(true);
    try {
      const result = await post<{ sent: boolean; to: string | null }>(`/tickets/${job.ticket.id}/service-report/send`);
      if (result.sent) message.success(t('field.report.sent', { to: result.to }));
      else message.warning(t('field.report.notSent'));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setSending(false);
    }
  };
  return (
    <Card size="small" title={t('field.sections.report')} data-testid="field-report">
      {synced ? (
        <Space wrap>
          <Button
            icon={<FilePdfOutlined />}
            href={`/api/v1/tickets/${job.ticket.id}/service-report.pdf`}
            target="_blank"
            data-testid="report-open"
          >
            {t('field.report.open')}
          </Button>
          <Button
            icon={<MailOutlined />}
            loading={sending}
            disabled={!job.ticket.contactEmail}
            onClick={() => void send()}
            data-testid="report-send"
          >
            {t('field.report.send')}
          </Button>
        </Space>
      ) : (
        <Typography.Text type="secondary">{t('field.report.afterSync')}</Typography.Text>
      )}
    </Card>
  );
}
