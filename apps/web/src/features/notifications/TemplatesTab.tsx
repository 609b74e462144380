import { NOTIFIABLE_EVENTS, type Template, type TemplatePreview } from '@serviceloop/contracts';
import { Alert, Button, Form, Input, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { post } from '../../lib/api';
import { RecordPage } from '../shared/RecordPage';

/** The wording each event sends, per language, with a preview. */
export function TemplatesTab() {
  const { t } = useTranslation();
  const [preview, setPreview] = useState<TemplatePreview | null>(null);
  return (
    <RecordPage<Template>
      title={t('notify.templates')}
      path="/notifications/templates"
      resource="notificationSetup"
      testId="notify-templates"
      columns={[
        { title: t('notify.event'), dataIndex: 'eventType', render: (e) => labelOf(t, 'notify.events', e) },
        { title: t('notify.language'), dataIndex: 'locale' },
        { title: t('notify.title'), dataIndex: 'title' },
      ]}
      form={(form, editing) => (
        <>
          {editing === 'new' && (
            <>
              <Form.Item name="eventType" label={t('notify.event')} rules={[{ required: true }]}>
                <Select options={NOTIFIABLE_EVENTS.map((e) => ({ value: e, label: t(`notify.events.${e}`) }))} />
              </Form.Item>
              <Form.Item name="locale" label={t('notify.language')} rules={[{ required: true }]}>
                <Select options={['zh-CN', 'en-US'].map((l) => ({ value: l, label: l }))} />
              </Form.Item>
            </>
          )}
          <Form.Item name="title" label={t('notify.title')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="body" label={t('notify.body')} rules={[{ required: true }]}>
            <Input.TextArea rows={6} />
          </Form.Item>
          <Typography.Paragraph type="secondary">
            {t('notify.variables')}: {'{{ticketNumber}} {{title}} {{priority}} {{customer}} {{dueAt}} {{link}}'}
          </Typography.Paragraph>
          <Button
            onClick={async () => {
              const v = form.getFieldsValue();
              const base = editing === 'new' ? v : { eventType: editing.eventType, locale: editing.locale };
              setPreview(
                await post<TemplatePreview>('/notifications/templates/preview', {
                  ...base,
                  title: v.title,
                  body: v.body,
                }),
              );
            }}
          >
            {t('notify.preview')}
          </Button>
          {preview && (
            <Alert
              style={{ marginTop: 12, whiteSpace: 'pre-line' }}
              type={preview.unknownVariables.length ? 'warning' : 'info'}
              message={preview.title}
              description={
                <>
                  {preview.body}
                  {preview.unknownVariables.length > 0 && (
                    <div>
                      {t('notify.unknownVariables')}: {preview.unknownVariables.join(', ')}
                    </div>
                  )}
                </>
              }
            />
          )}
        </>
      )}
      fromForm={(v) => ({ ...v })}
    />
  );
}
