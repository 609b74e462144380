import type { Ticket } from '@serviceloop/contracts';
import { Button, Input, Modal, Segmented, Select, Space, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { labelOf } from '../../i18n/keys';
import { query } from '../../lib/api';
import { usePagedList } from '../../lib/hooks';
import { FieldFilter } from '../forms/FieldFilter';
import { useAuth } from '../identity/auth';
import { BulkActions } from './BulkActions';
import { CHANNELS, OPEN_STATES, PRIORITIES, STATES } from './labels';
import { TicketTable } from './TicketTable';

interface Filters {
  state?: string[];
  /** Only tickets assigned to me. */
  mine?: boolean;
  priority?: string;
  channel?: string;
  overdue?: boolean;
  /** A custom field condition, `key=value`. */
  field?: string;
  sort: string;
}
const VIEWS_KEY = 'serviceloop.ticketViews';
/** Filters a link may carry (the analytics drill-down ends here with model, region and batch). */
const LINKED_FILTERS = [
  'productModelId',
  'regionCode',
  'batch',
  'categoryId',
  'customerId',
  'channel',
  'createdFrom',
  'createdTo',
];
const loadViews = (): Record<string, Filters> => JSON.parse(localStorage.getItem(VIEWS_KEY) ?? '{}');

/** The quick views above the filters; the list opens on "mine and open", what a person works today. */
const QUICK_VIEWS = {
  mineOpen: { mine: true, state: OPEN_STATES },
  open: { mine: false, state: OPEN_STATES },
  all: { mine: false, state: undefined },
} satisfies Record<string, Partial<Filters>>;
type QuickView = keyof typeof QUICK_VIEWS;
const quickViewOf = (f: Filters): QuickView | undefined =>
  (Object.keys(QUICK_VIEWS) as QuickView[]).find(
    (k) => !!f.mine === QUICK_VIEWS[k].mine && (f.state ?? []).join() === (QUICK_VIEWS[k].state ?? []).join(),
  );

export default function TicketsPage() {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const linked = Object.fromEntries(LINKED_FILTERS.flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])));
  // A drill-down link (analytics) means exactly its filters; a plain visit opens on mine and open.
  const [filters, setFilters] = useState<Filters>(() =>
    Object.keys(linked).length ? { sort: 'created_desc' } : { ...QUICK_VIEWS.mineOpen, sort: 'created_desc' },
  );
  const [views, setViews] = useState(loadViews);
  const [selected, setSelected] = useState<Ticket[]>([]);
  const { mine, ...rest } = filters;
  const listQuery = {
    ...linked,
    ...rest,
    assigneeId: mine ? me?.id : undefined,
    state: filters.state?.length ? filters.state.join(',') : undefined,
    overdue: filters.overdue ? 'true' : undefined,
  };
  const list = usePagedList<Ticket>('/tickets', listQuery);
  const set = (patch: Partial<Filters>) => setFilters({ ...filters, ...patch });

  const saveView = () => {
    let name = '';
    Modal.confirm({
      title: t('tickets.saveView'),
      content: <Input autoFocus onChange={(e) => (name = e.target.value)} />,
      onOk: () => {
        if (!name.trim()) return;
        const next = { ...views, [name.trim()]: filters };
        localStorage.setItem(VIEWS_KEY, JSON.stringify(next));
        setViews(next);
      },
    });
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="tickets-page">
      {Object.keys(linked).length > 0 && (
        <Space wrap data-testid="linked-filters">
          {Object.entries(linked).map(([key, value]) => (
            <Tag
              key={key}
              closable
              onClose={() => {
                params.delete(key);
                setParams(params);
              }}
            >
              {key}: {value}
            </Tag>
          ))}
        </Space>
      )}
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.tickets')}
        </Typography.Title>
        <Space wrap>
          {can('ticket', 'create') && (
            <Button type="primary" onClick={() => navigate('/console/tickets/new')}>
              {t('tickets.new')}
            </Button>
          )}
        </Space>
      </Space>
      <Segmented<QuickView | 'custom'>
        data-testid="ticket-quick-view"
        value={quickViewOf(filters) ?? 'custom'}
        onChange={(view) => view !== 'custom' && set(QUICK_VIEWS[view])}
        options={[
          ...(Object.keys(QUICK_VIEWS) as QuickView[]).map((k) => ({ value: k, label: t(`tickets.quickViews.${k}`) })),
          ...(quickViewOf(filters) ? [] : [{ value: 'custom' as const, label: t('tickets.quickViews.custom') }]),
        ]}
      />
      <Space wrap>
        <Input.Search placeholder={t('tickets.searchHint')} onSearch={list.search} allowClear style={{ width: 240 }} />
        <Select
          mode="multiple"
          allowClear
          placeholder={t('tickets.state')}
          style={{ minWidth: 180 }}
          value={filters.state}
          onChange={(state) => set({ state })}
          options={STATES.map((s) => ({ value: s, label: labelOf(t, 'tickets.states', s) }))}
        />
        <Select
          allowClear
          placeholder={t('tickets.priority')}
          style={{ width: 100 }}
          value={filters.priority}
          onChange={(priority) => set({ priority })}
          options={PRIORITIES.map((p) => ({ value: p, label: p }))}
        />
        <Select
          allowClear
          placeholder={t('tickets.channel')}
          style={{ width: 120 }}
          value={filters.channel}
          onChange={(channel) => set({ channel })}
          options={CHANNELS.map((c) => ({ value: c, label: labelOf(t, 'tickets.channels', c) }))}
        />
        <FieldFilter value={filters.field} onChange={(field) => set({ field })} />
        <Space>
          <Switch checked={!!filters.overdue} onChange={(overdue) => set({ overdue })} />
          {t('tickets.overdue')}
        </Space>
        <Select
          style={{ width: 150 }}
          value={filters.sort}
          onChange={(sort) => set({ sort })}
          options={['created_desc', 'created_asc', 'sla_asc', 'due_asc', 'priority'].map((s) => ({
            value: s,
            label: labelOf(t, 'tickets.sorts', s),
          }))}
        />
        <Select
          placeholder={t('tickets.views')}
          style={{ width: 150 }}
          value={null}
          onChange={(name: string) => setFilters(views[name]!)}
          options={Object.keys(views).map((name) => ({ value: name, label: name }))}
        />
        <Button onClick={saveView}>{t('tickets.saveView')}</Button>
        {can('ticket', 'export') &&
          (['xlsx', 'csv'] as const).map((format) => (
            <Button
              key={format}
              href={`/api/v1/tickets/export.${format}${query(listQuery)}`}
              data-testid={`export-${format}`}
            >
              {t('tickets.export', { format: format.toUpperCase() })}
            </Button>
          ))}
        {can('ticket', 'update') && <BulkActions selected={selected} onDone={() => setSelected([])} />}
      </Space>
      <TicketTable
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={list.pagination}
        rowSelection={
          can('ticket', 'update')
            ? { selectedRowKeys: selected.map((s) => s.id), onChange: (_, rows) => setSelected(rows) }
            : undefined
        }
      />
    </Space>
  );
}
