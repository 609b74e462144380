import type { HolidayCoverage, HolidayYearDays, ImportedHolidays } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Space, Table, Tag, Upload } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, get, post, put } from '../../lib/api';
import { useAuth } from '../identity/auth';

const SOURCE_COLOR = { shipped: 'blue', entered: 'green', imported: 'purple' } as const;

export const useHolidayCoverage = (enabled = true) =>
  useQuery({ queryKey: ['sla', 'holidays'], queryFn: () => get<HolidayCoverage>('/sla/holidays'), enabled });

interface YearForm {
  year: number;
  title: string;
  holidays: Dayjs[];
  workdays: Dayjs[];
}

/** Days as the API takes them, keeping the names an imported or shipped year gave its dates. */
const daysOf = (picked: Dayjs[] | undefined, named: { date: string; name: string }[] = []) =>
  (picked ?? []).map((d) => {
    const date = d.format('YYYY-MM-DD');
    return { date, name: named.find((n) => n.date === date)?.name ?? '' };
  });

/** One year's days off and 调休 working days, picked on a calendar. */
function YearModal({ editing, onClose }: { editing: HolidayYearDays | { year: number } | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<YearForm>();
  const known = editing && 'holidays' in editing ? editing : undefined;
  const save = async (v: YearForm) => {
    try {
      await put(`/sla/holidays/${v.year}`, {
        title: v.title ?? '',
        holidays: daysOf(v.holidays, known?.holidays),
        workdays: daysOf(v.workdays, known?.workdays),
      });
      message.success(t('common.saved'));
      await client.invalidateQueries({ queryKey: ['sla', 'holidays'] });
      onClose();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Modal
      open={!!editing}
      title={known ? `${t('sla.editYear')} ${known.year}` : t('sla.enterYear')}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={save}
        preserve={false}
        initialValues={{
          year: editing?.year,
          title: known?.title ?? '',
          holidays: known?.holidays.map((d) => dayjs(d.date)) ?? [],
          workdays: known?.workdays.map((d) => dayjs(d.date)) ?? [],
        }}
      >
        <Form.Item name="year" label={t('sla.year')} rules={[{ required: true }]}>
          <InputNumber min={2000} max={2100} disabled={!!known} />
        </Form.Item>
        <Form.Item name="title" label={t('sla.yearTitle')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="holidays" label={t('sla.holidayDates')} rules={[{ required: true }]}>
          <DatePicker multiple style={{ width: '100%' }} data-testid="holiday-dates" />
        </Form.Item>
        <Form.Item name="workdays" label={t('sla.workdayDates')}>
          <DatePicker multiple style={{ width: '100%' }} data-testid="workday-dates" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The holiday schedules behind the calendars: shipped, entered or imported, and the year still missing. */
export function HolidaysTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const client = useQueryClient();
  const { data } = useHolidayCoverage();
  const [editing, setEditing] = useState<HolidayYearDays | { year: number } | null>(null);
  const editable = can('slaPolicy', 'update');

  const importIcs = async (file: File) => {
    try {
      const result = await post<ImportedHolidays>('/sla/holidays/import', { ics: await file.text() });
      message.success(t('sla.imported', { years: result.years.map((y) => y.year).join(', ') }));
      if (result.skipped.length > 0) message.info(t('sla.importSkipped', { years: result.skipped.join(', ') }));
      await client.invalidateQueries({ queryKey: ['sla', 'holidays'] });
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <Card
      title={t('sla.holidays')}
      data-testid="sla-holidays"
      extra={
        editable && (
          <Space>
            <Button onClick={() => setEditing({ year: data?.missing.at(-1) ?? (data?.lastYear ?? 2026) + 1 })}>
              {t('sla.enterYear')}
            </Button>
            <Upload
              accept=".ics,text/calendar"
              showUploadList={false}
              beforeUpload={(file) => {
                void importIcs(file);
                return false;
              }}
            >
              <Button data-testid="import-ics">{t('sla.importIcs')}</Button>
            </Upload>
          </Space>
        )
      }
    >
      {(data?.missing.length ?? 0) > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('sla.missingYears', { years: data!.missing.join(', ') })}
        />
      )}
      <Table
        rowKey="year"
        size="small"
        pagination={false}
        dataSource={data?.years}
        columns={[
          { title: t('sla.year'), dataIndex: 'year' },
          {
            title: t('sla.source'),
            dataIndex: 'source',
            render: (s: keyof typeof SOURCE_COLOR) => <Tag color={SOURCE_COLOR[s]}>{t(`sla.sources.${s}`)}</Tag>,
          },
          { title: t('sla.notice'), dataIndex: 'title' },
          { title: t('sla.holidayDays'), dataIndex: 'holidays', render: (days: unknown[]) => days.length },
          { title: t('sla.workdayCount'), dataIndex: 'workdays', render: (days: unknown[]) => days.length },
          ...(editable
            ? [
                {
                  key: 'edit',
                  render: (_: unknown, row: HolidayYearDays) => (
                    <Button type="link" onClick={() => setEditing(row)}>
                      {t('sla.editYear')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <YearModal editing={editing} onClose={() => setEditing(null)} />
    </Card>
  );
}
