import type { Page, Survey, Ticket } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Image, Rate, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { get } from '../../lib/api';
import { useAuth } from '../identity/auth';

interface Confirmation {
  signature?: string;
  comment?: string | null;
  confirmedAt?: string;
}

/**
 * What a closed ticket is asked about afterwards: the customer's signature and satisfaction (CSAT
 * from the signing, NPS from the survey), beside the diagnosis and checklist shown with the resolution.
 */
export function ClosedTicketCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const surveys = useQuery({
    queryKey: ['/surveys', ticket.id],
    queryFn: () => get<Page<Survey>>(`/surveys?ticketId=${ticket.id}`),
    enabled: can('survey', 'read'),
  });
  const confirmation = ticket.confirmation as Confirmation | null;
  const nps = surveys.data?.items.find((s) => s.nps !== null)?.nps ?? null;
  return (
    <Card size="small" title={t('tickets.closedRecord')} data-testid="ticket-closed-record">
      <Descriptions column={{ xs: 1, sm: 2 }} size="small">
        <Descriptions.Item label={t('tickets.csat')}>
          {ticket.csat ? <Rate disabled value={ticket.csat} /> : '—'}
        </Descriptions.Item>
        <Descriptions.Item label="NPS">
          <span data-testid="ticket-nps">{nps ?? (can('survey', 'read') ? t('tickets.npsPending') : '—')}</span>
        </Descriptions.Item>
        {confirmation?.comment && (
          <Descriptions.Item label={t('tickets.comment')} span={2}>
            {confirmation.comment}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('tickets.signature')} span={2}>
          {confirmation?.signature ? (
            <Image
              src={confirmation.signature}
              alt={t('tickets.signature')}
              height={80}
              style={{ background: '#fff', border: '1px solid #f0f0f0' }}
              data-testid="ticket-signature"
            />
          ) : (
            <Tag>{t('tickets.noSignature')}</Tag>
          )}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
