import { CameraOutlined } from '@ant-design/icons';
import type { FieldJob } from '@serviceloop/contracts';
import { Button, Card, Image, Space, Typography } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { outbox } from './outbox';
import { useOutbox } from './useOutbox';

/** Photos from the phone's camera, kept in the outbox as blobs until they are uploaded. */
export function PhotoCapture({ job }: { job: FieldJob }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const { photos } = useOutbox();
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
        <Space wrap>
          {urls.map((u) => (
            <Image key={u.id} src={u.url} width={72} height={72} style={{ objectFit: 'cover' }} />
          ))}
        </Space>
      </Space>
    </Card>
  );
}
