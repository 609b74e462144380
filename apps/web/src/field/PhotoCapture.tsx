import { CameraOutlined } from '@ant-design/icons';
import type { FieldJob } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Image, Space, Typography } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../lib/api';
import { outbox } from './outbox';
import { useOutbox } from './useOutbox';

/**
 * Photos from the phone's camera, kept in the outbox as blobs until they are uploaded, beside the
 * ticket's photos already on the server — so a sent photo stays in sight rather than vanishing
 * from the page the moment it uploads. (Offline, only the waiting ones show.)
 */
export function PhotoCapture({ job }: { job: FieldJob }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const { photos } = useOutbox();
  const uploaded = useQuery({
    // Under ['field'], so each finished sync refetches it.
    queryKey: ['field', 'photos', job.ticket.id],
    queryFn: () =>
      get<{ id: string; originalName: string; hasThumbnail: boolean }[]>(`/tickets/${job.ticket.id}/attachments`),
    select: (all) => all.filter((a) => a.hasThumbnail),
    networkMode: 'always',
    retry: false,
  });
  const mine = useMemo(() => photos.filter((p) => p.visitId === job.visitId), [photos, job.visitId]);
  const urls = useMemo(() => mine.map((p) => ({ id: p.id, url: URL.createObjectURL(p.blob) })), [mine]);
  useEffect(
    () => () => {
      for (const u of urls) URL.revokeObjectURL(u.url);
    },
    [urls],
  );
  return (
    <Card size="small" title={t('field.sections.photos')} data-testid="field-photos">
      <Space direction="vertical" style={{ width: '100%' }}>
        <input
          ref={input}
          type="file"
          accept="image/*"
          capture="environment"
          multiple
          hidden
          data-testid="photo-input"
          onChange={async (e) => {
            for (const file of Array.from(e.target.files ?? [])) await outbox.addPhoto(job, file);
            e.target.value = '';
          }}
        />
        <Button icon={<CameraOutlined />} onClick={() => input.current?.click()} block>
          {t('field.photos.take')}
        </Button>
        {mine.length > 0 && (
          <Typography.Text type="secondary" data-testid="photos-waiting">
            {t('field.photos.waiting', { count: mine.length })}
          </Typography.Text>
        )}
        {(uploaded.data?.length ?? 0) > 0 && (
          <>
            <Typography.Text type="secondary">
              {t('field.photos.uploaded', { count: uploaded.data!.length })}
            </Typography.Text>
            <Space wrap data-testid="photos-uploaded">
              {uploaded.data!.map((a) => (
                <Image
                  key={a.id}
                  src={`/api/v1/attachments/${a.id}/thumbnail`}
                  preview={{ src: `/api/v1/attachments/${a.id}/content?inline=true` }}
                  alt={a.originalName}
                  width={72}
                  height={72}
                  style={{ objectFit: 'cover' }}
                />
              ))}
            </Space>
          </>
        )}
        <Space wrap>
          {urls.map((u) => (
            <Image key={u.id} src={u.url} width={72} height={72} style={{ objectFit: 'cover' }} />
          ))}
        </Space>
      </Space>
    </Card>
  );
}
