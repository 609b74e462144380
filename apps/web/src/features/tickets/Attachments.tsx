import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Image, List, Select, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, uploadHeaders } from '../../lib/api';
import { useMessage } from '../../lib/message';

interface Attachment {
  id: string;
  kind: string;
  originalName: string;
  sizeBytes: number;
  visibility: 'internal' | 'customer';
  hasThumbnail: boolean;
}

/** Photos, videos and PDFs on a ticket: uploaded by staff, engineers and the customer alike. */
export function Attachments({ ticketId, canChooseVisibility }: { ticketId: string; canChooseVisibility: boolean }) {
  const { t } = useTranslation();
  const message = useMessage();
  const client = useQueryClient();
  const [visibility, setVisibility] = useState<'customer' | 'internal'>('customer');
  const list = useQuery({
    queryKey: ['ticket', ticketId, 'attachments'],
    queryFn: () => get<Attachment[]>(`/tickets/${ticketId}/attachments`),
  });
  const images = (list.data ?? []).filter((a) => a.hasThumbnail);
  const files = (list.data ?? []).filter((a) => !a.hasThumbnail);

  return (
    <Card
      size="small"
      title={t('tickets.attachments')}
      extra={
        <Space>
          {canChooseVisibility && (
            <Select
              size="small"
              value={visibility}
              onChange={setVisibility}
              options={['customer', 'internal'].map((v) => ({ value: v, label: t(`tickets.visibilities.${v}`) }))}
            />
          )}
          <Upload
            name="file"
            action={`/api/v1/tickets/${ticketId}/attachments`}
            headers={uploadHeaders()}
            data={{ visibility }}
            accept="image/*,video/*,application/pdf"
            showUploadList={false}
            onChange={({ file }) => {
              if (file.status === 'done')
                void client.invalidateQueries({ queryKey: ['ticket', ticketId, 'attachments'] });
              if (file.status === 'error')
                message.error((file.response as { message?: string })?.message ?? t('tickets.uploadFailed'));
            }}
          >
            <Button size="small" icon={<UploadOutlined />} data-testid="attachment-upload">
              {t('tickets.upload')}
            </Button>
          </Upload>
        </Space>
      }
    >
      {images.length > 0 && (
        <Image.PreviewGroup>
          <Space wrap>
            {images.map((a) => (
              <Image
                key={a.id}
                width={96}
                height={96}
                style={{ objectFit: 'cover' }}
                src={`/api/v1/attachments/${a.id}/thumbnail`}
                preview={{ src: `/api/v1/attachments/${a.id}/content?inline=true` }}
                alt={a.originalName}
              />
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
      <List
        size="small"
        dataSource={files}
        locale={{ emptyText: images.length ? ' ' : t('tickets.noAttachments') }}
        renderItem={(a) => (
          <List.Item>
            <Typography.Link href={`/api/v1/attachments/${a.id}/content`}>
              <PaperClipOutlined /> {a.originalName}
            </Typography.Link>
            <Typography.Text type="secondary">{Math.ceil(a.sizeBytes / 1024)} KB</Typography.Text>
          </List.Item>
        )}
      />
    </Card>
  );
}
