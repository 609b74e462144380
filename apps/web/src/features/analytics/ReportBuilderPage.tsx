import type { ReportDefinition, SavedReport } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Form, Input, List, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { downloadPost, errorText, get, post } from '../../lib/api';
import { useAuth } from '../identity/auth';
import { ReportView } from './ReportView';

const DIMENSIONS = [
  'productModel',
  'region',
  'batch',
  'category',
  'rootCategory',
  'customer',
  'industry',
  'channel',
  'engineer',
];
const MEASURES = [
  'tickets',
  'closed',
  'firstContactResolution',
  'firstTimeFix',
  'csat',
  'medianTimeToResolve',
  'resolutionSla',
  'repeatRepair',
];
const CHARTS = ['table', 'bar', 'line', 'pie', 'pareto'] as const;
const SHARE_ROLES = ['admin', 'manager', 'agent', 'engineer', 'warehouse', 'quality'];

/** Pick dimensions, measures and a chart; see it at once; save it for yourself or your colleagues. */
export default function ReportBuilderPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [definition, setDefinition] = useState<ReportDefinition>({
    dimensions: ['productModel'],
    measures: ['tickets'],
    filters: {},
    chart: 'bar',
    limit: 20,
  });
  const [name, setName] = useState('');
  const [sharedRoles, setSharedRoles] = useState<string[]>([]);
  const saved = useQuery({
    queryKey: ['analytics', 'reports'],
    queryFn: () => get<SavedReport[]>('/analytics/reports'),
  });
  const set = (patch: Partial<ReportDefinition>) => setDefinition({ ...definition, ...patch });

  const save = async () => {
    try {
      await post('/analytics/reports', { name, definition, sharedRoles });
      message.success(t('common.saved'));
      void client.invalidateQueries({ queryKey: ['analytics', 'reports'] });
    } catch (error) {
      message.error(errorText(error));
    }
  };
  const exportAs = async (format: 'csv' | 'xlsx') => {
    try {
      await downloadPost(
        `/analytics/query/export.${format}`,
        { definition, ...(name.trim() ? { name: name.trim() } : {}) },
        `report.${format}`,
      );
    } catch (error) {
      message.error(errorText(error));
    }
  };

  return (
    <Row gutter={[16, 16]} data-testid="report-builder">
      <Col xs={24} lg={7}>
        <Card title={t('analytics.builder')}>
          <Form layout="vertical">
            <Form.Item label={t('analytics.dimension')}>
              <Select
                mode="multiple"
                maxCount={2}
                value={definition.dimensions}
                onChange={(dimensions) => dimensions.length && set({ dimensions })}
                options={DIMENSIONS.map((d) => ({ value: d, label: labelOf(t, 'analytics.dimensions', d) }))}
                data-testid="builder-dimensions"
              />
            </Form.Item>
            <Form.Item label={t('analytics.measure')}>
              <Select
                mode="multiple"
                maxCount={4}
                value={definition.measures}
                onChange={(measures) => measures.length && set({ measures })}
                options={MEASURES.map((m) => ({ value: m, label: labelOf(t, 'analytics.reportMeasures', m) }))}
              />
            </Form.Item>
            <Form.Item label={t('analytics.chart')}>
              <Select
                value={definition.chart}
                onChange={(chart) => set({ chart })}
                options={CHARTS.map((c) => ({ value: c, label: t(`analytics.charts.${c}`) }))}
                data-testid="builder-chart"
              />
            </Form.Item>
            <Form.Item label={t('analytics.industry')}>
              <Select
                allowClear
                value={definition.filters.industry}
                onChange={(industry) => set({ filters: { ...definition.filters, industry } })}
                options={['machine_tools', 'elevator', 'consumer_electronics', 'other'].map((i) => ({
                  value: i,
                  label: labelOf(t, 'analytics.industries', i),
                }))}
              />
            </Form.Item>
            {can('analytics', 'create') && (
              <>
                <Form.Item label={t('analytics.reportName')}>
                  <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
                </Form.Item>
                <Form.Item label={t('analytics.shareWith')}>
                  <Select
                    mode="multiple"
                    value={sharedRoles}
                    onChange={setSharedRoles}
                    options={SHARE_ROLES.map((r) => ({ value: r, label: labelOf(t, 'roles', r) }))}
                  />
                </Form.Item>
              </>
            )}
            <Space wrap>
              {can('analytics', 'create') && (
                <Button type="primary" disabled={!name.trim()} onClick={save} data-testid="report-save">
                  {t('common.save')}
                </Button>
              )}
              <Button onClick={() => exportAs('xlsx')} data-testid="report-export-xlsx">
                {t('analytics.exportXlsx')}
              </Button>
              <Button onClick={() => exportAs('csv')}>{t('analytics.exportCsv')}</Button>
            </Space>
          </Form>
        </Card>
        <Card title={t('analytics.savedReports')} style={{ marginTop: 16 }}>
          <List
            size="small"
            dataSource={saved.data ?? []}
            renderItem={(r) => (
              <List.Item>
                <Typography.Link
                  onClick={() => {
                    setDefinition(r.definition);
                    setName(r.name);
                    setSharedRoles(r.sharedRoles);
                  }}
                >
                  {r.name}
                </Typography.Link>
              </List.Item>
            )}
          />
        </Card>
      </Col>
      <Col xs={24} lg={17}>
        <Card title={name || t('analytics.preview')}>
          <ReportView definition={definition} height={420} />
        </Card>
      </Col>
    </Row>
  );
}
