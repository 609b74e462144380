import type { ServiceContract, SlaCalendar, SlaPolicy } from '@serviceloop/contracts';
import { DatePicker, Form, Input, InputNumber, Select, Switch, Tabs, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { labelOf } from '../../i18n/keys';
import { RecordPage } from '../shared/RecordPage';
import { RemoteSelect } from '../shared/RemoteSelect';
import { workingTime } from './duration';
import { HolidaysTab } from './HolidaysTab';

type Window = { start: string; end: string };

/** "09:00-12:00, 13:00-18:00" ⇄ windows; the server checks the format and says which day is wrong. */
const hoursText = (day: Window[]) => day.map((w) => `${w.start}-${w.end}`).join(', ');
const parseHours = (text: string | undefined): Window[] =>
  (text ?? '')
    .split(/[,，;；\s]+/)
    .filter(Boolean)
    .map((part) => {
      const [start = '', end = ''] = part.split(/[-–~]/);
      return { start: start.trim(), end: end.trim() };
    });
const DAYS = [0, 1, 2, 3, 4, 5, 6];

function PoliciesTab() {
  const { t } = useTranslation();
  return (
    <RecordPage<SlaPolicy>
      title={t('sla.policies')}
      path="/sla/policies"
      resource="slaPolicy"
      testId="sla-policies"
      columns={[
        { title: t('sla.name'), dataIndex: 'name' },
        { title: t('sla.priority'), dataIndex: 'priority', render: (p) => <Tag>{p}</Tag> },
        {
          title: t('sla.customerTier'),
          dataIndex: 'customerTier',
          render: (tier) => (tier ? labelOf(t, 'sla.tiers', tier) : t('sla.anyTier')),
        },
        {
          title: t('sla.contract'),
          dataIndex: 'contractId',
          render: (id) => (id ? <Tag color="gold">{t('sla.contract')}</Tag> : t('sla.anyContract')),
        },
        { title: t('sla.kinds.response'), dataIndex: 'responseMinutes', render: (m) => workingTime(m, t) },
        { title: t('sla.kinds.resolution'), dataIndex: 'resolutionMinutes', render: (m) => workingTime(m, t) },
        { title: t('sla.calendar'), dataIndex: 'calendarName' },
        { title: t('sla.warningPercent'), dataIndex: 'warningPercent', render: (p) => `${p}%` },
        {
          title: t('sla.active'),
          dataIndex: 'active',
          render: (a) => <Tag color={a ? 'green' : undefined}>{a ? t('common.yes') : t('common.no')}</Tag>,
        },
      ]}
      form={(_, editing) => (
        <>
          <Form.Item name="name" label={t('sla.name')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          {editing === 'new' && (
            <Form.Item name="priority" label={t('sla.priority')} rules={[{ required: true }]}>
              <Select options={['P0', 'P1', 'P2', 'P3'].map((p) => ({ value: p, label: p }))} />
            </Form.Item>
          )}
          <Form.Item name="customerTier" label={t('sla.customerTier')}>
            <Select
              allowClear
              placeholder={t('sla.anyTier')}
              options={['standard', 'vip'].map((tier) => ({ value: tier, label: labelOf(t, 'sla.tiers', tier) }))}
            />
          </Form.Item>
          <Form.Item name="contractId" label={t('sla.contract')}>
            <RemoteSelect<ServiceContract>
              path="/contracts"
              label={(c) => c.number}
              placeholder={t('sla.anyContract')}
            />
          </Form.Item>
          <Form.Item
            name="responseMinutes"
            label={t('sla.responseMinutes')}
            rules={[{ required: true }]}
            extra={t('sla.minutesHelp')}
          >
            <InputNumber min={1} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="resolutionMinutes" label={t('sla.resolutionMinutes')} rules={[{ required: true }]}>
            <InputNumber min={1} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="calendarId" label={t('sla.calendar')} rules={[{ required: true }]}>
            <RemoteSelect<SlaCalendar> path="/sla/calendars" label={(c) => c.name} />
          </Form.Item>
          <Form.Item name="warningPercent" label={t('sla.warningPercent')} initialValue={80}>
            <InputNumber min={1} max={99} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="active" label={t('sla.active')} valuePropName="checked" initialValue={true}>
            <Switch />
          </Form.Item>
        </>
      )}
      toForm={({ id: _i, version: _v, calendarName: _c, createdAt: _at, priority: _p, ...row }) => row}
      fromForm={(v) => ({ ...v, customerTier: v.customerTier ?? null, contractId: v.contractId ?? null })}
    />
  );
}

/** The days a multiple DatePicker holds, as the ISO dates the API takes. */
const isoDays = (days: unknown) => ((days as Dayjs[] | undefined) ?? []).map((d) => d.format('YYYY-MM-DD'));

function CalendarsTab() {
  const { t } = useTranslation();
  return (
    <RecordPage<SlaCalendar>
      title={t('sla.calendars')}
      path="/sla/calendars"
      resource="slaPolicy"
      testId="sla-calendars"
      columns={[
        { title: t('sla.code'), dataIndex: 'code' },
        { title: t('sla.name'), dataIndex: 'name' },
        { title: t('sla.timeZone'), dataIndex: 'timeZone' },
        {
          title: t('sla.weekHours'),
          key: 'hours',
          render: (_, c) =>
            c.alwaysOn
              ? t('sla.alwaysOn')
              : DAYS.filter((d) => c.weekHours[d]?.length)
                  .map((d) => `${labelOf(t, 'sla.weekdays', d)} ${hoursText(c.weekHours[d]!)}`)
                  .join('；'),
        },
        {
          title: t('sla.chinaHolidays'),
          dataIndex: 'chinaHolidays',
          render: (on) => (on ? t('common.yes') : t('common.no')),
        },
      ]}
      form={(_, editing) => (
        <>
          {editing === 'new' && (
            <Form.Item name="code" label={t('sla.code')} rules={[{ required: true }]}>
              <Input placeholder="shanghai-office" />
            </Form.Item>
          )}
          <Form.Item name="name" label={t('sla.name')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="timeZone" label={t('sla.timeZone')} initialValue="Asia/Shanghai">
            <Input />
          </Form.Item>
          <Form.Item name="alwaysOn" label={t('sla.alwaysOn')} valuePropName="checked" initialValue={false}>
            <Switch />
          </Form.Item>
          {DAYS.map((d) => (
            <Form.Item
              key={d}
              name={['hours', d]}
              label={`${t('sla.weekHours')} · ${labelOf(t, 'sla.weekdays', d)}`}
              extra={d === 0 ? t('sla.hoursHelp') : undefined}
              initialValue={d < 5 ? '09:00-18:00' : ''}
            >
              <Input />
            </Form.Item>
          ))}
          <Form.Item name="chinaHolidays" label={t('sla.chinaHolidays')} valuePropName="checked" initialValue>
            <Switch />
          </Form.Item>
          {/* Days picked on a calendar, not typed: no "2026-13-01" to refuse. */}
          <Form.Item name="extraHolidays" label={t('sla.extraHolidays')}>
            <DatePicker multiple style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="extraWorkdays" label={t('sla.extraWorkdays')}>
            <DatePicker multiple style={{ width: '100%' }} />
          </Form.Item>
        </>
      )}
      toForm={({ weekHours, id: _i, version: _v, createdAt: _c, code: _code, ...row }) => ({
        ...row,
        hours: weekHours.map(hoursText),
        extraHolidays: row.extraHolidays.map((d) => dayjs(d)),
        extraWorkdays: row.extraWorkdays.map((d) => dayjs(d)),
      })}
      fromForm={({ hours, extraHolidays, extraWorkdays, ...v }) => ({
        ...v,
        weekHours: DAYS.map((d) => parseHours((hours as string[] | undefined)?.[d])),
        extraHolidays: isoDays(extraHolidays),
        extraWorkdays: isoDays(extraWorkdays),
      })}
    />
  );
}

/** SLA administration: policies, the calendars they count in, and the holiday data behind them. */
export default function SlaPage() {
  const { t } = useTranslation();
  // A notification about a missing holiday year links straight to its tab.
  const [params, setParams] = useSearchParams();
  return (
    <Tabs
      activeKey={params.get('tab') ?? 'policies'}
      onChange={(tab) => setParams({ tab }, { replace: true })}
      items={[
        { key: 'policies', label: t('sla.policies'), children: <PoliciesTab /> },
        { key: 'calendars', label: t('sla.calendars'), children: <CalendarsTab /> },
        { key: 'holidays', label: t('sla.holidays'), children: <HolidaysTab /> },
      ]}
    />
  );
}
