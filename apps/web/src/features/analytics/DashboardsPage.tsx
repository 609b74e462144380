import type { Dashboard, SavedReport } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Empty, Input, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, get, patch, post } from '../../lib/api';
import { useAuth } from '../identity/auth';
import { ReportView } from './ReportView';
import { useLiveAnalytics } from './useLiveAnalytics';

/**
 * Saved reports arranged into dashboards: add a report, drag a card onto another to move it,
 * widen or narrow it. Each card exports its report to xlsx/csv; the server renders the whole
 * dashboard to PDF (printing stays for paper). Cards refresh live.
 */
export default function DashboardsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const client = useQueryClient();
  useLiveAnalytics();
  const [selected, setSelected] = useState<string>();
  const [dragged, setDragged] = useState<number | null>(null);
  const [newName, setNewName] = useState('');
  const dashboards = useQuery({
    queryKey: ['analytics', 'dashboards'],
    queryFn: () => get<Dashboard[]>('/analytics/dashboards'),
  });
  const reports = useQuery({
    queryKey: ['analytics', 'reports'],
    queryFn: () => get<SavedReport[]>('/analytics/reports'),
  });
  const board = dashboards.data?.find((d) => d.id === (selected ?? dashboards.data?.[0]?.id));
  const reportById = new Map((reports.data ?? []).map((r) => [r.id, r]));
  const editable = can('analytics', 'update');

  const saveLayout = async (layout: Dashboard['layout']) => {
    if (!board) return;
    try {
      await patch(`/analytics/dashboards/${board.id}`, { version: board.version, layout });
    } catch (error) {
      message.error(errorText(error));
    }
    void client.invalidateQueries({ queryKey: ['analytics', 'dashboards'] });
  };
  const move = (from: number, to: number) => {
    if (!board || from === to) return;
    const layout = [...board.layout];
    const [card] = layout.splice(from, 1);
    layout.splice(to, 0, card!);
    void saveLayout(layout);
  };
  const create = async () => {
    try {
      const created = await post<Dashboard>('/analytics/dashboards', { name: newName, layout: [] });
      setSelected(created.id);
      setNewName('');
      void client.invalidateQueries({ queryKey: ['analytics', 'dashboards'] });
    } catch (error) {
      message.error(errorText(error));
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="dashboards-page">
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }} className="no-print">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('analytics.dashboards')}
          </Typography.Title>
          <Select
            style={{ width: 220 }}
            value={board?.id}
            onChange={setSelected}
            options={(dashboards.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
          />
        </Space>
        <Space wrap>
          {editable && board && (
            <Select
              style={{ width: 220 }}
              placeholder={t('analytics.addReport')}
              value={null}
              onChange={(reportId: string) =>
                // A report appears once per dashboard: a second copy would only repeat it.
                board.layout.some((c) => c.reportId === reportId) ||
                saveLayout([...board.layout, { reportId, span: 12 }])
              }
              options={(reports.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
              data-testid="add-report"
            />
          )}
          {can('analytics', 'create') && (
            <Space.Compact>
              <Input
                placeholder={t('analytics.newDashboard')}
                value={newName}
                onChange={(e) => setNewName(e.target.value)}
              />
              <Button disabled={!newName.trim()} onClick={create}>
                {t('common.create')}
              </Button>
            </Space.Compact>
          )}
          {board && (
            <Button href={`/api/v1/analytics/dashboards/${board.id}/export.pdf`} data-testid="dashboard-pdf">
              {t('analytics.exportPdf')}
            </Button>
          )}
          <Button onClick={() => window.print()}>{t('analytics.print')}</Button>
        </Space>
      </Space>
      {!board?.layout.length ? (
        <Empty description={t('analytics.emptyDashboard')} />
      ) : (
        <Row gutter={[16, 16]}>
          {board.layout.map((card, index) => {
            const report = reportById.get(card.reportId);
            return (
              <Col
                key={card.reportId}
                xs={24}
                xl={card.span}
                draggable={editable}
                onDragStart={() => setDragged(index)}
                onDragOver={(e) => e.preventDefault()}
                onDrop={() => dragged !== null && move(dragged, index)}
                data-testid="dashboard-card"
              >
                <Card
                  size="small"
                  title={report?.name ?? '—'}
                  extra={
                    <Space size={4} className="no-print">
                      {report &&
                        (['xlsx', 'csv'] as const).map((format) => (
                          <Button
                            key={format}
                            size="small"
                            href={`/api/v1/analytics/reports/${report.id}/export.${format}`}
                          >
                            {format.toUpperCase()}
                          </Button>
                        ))}
                      {editable && (
                        <>
                          <Button
                            size="small"
                            onClick={() =>
                              saveLayout(
                                board.layout.map((c, i) => (i === index ? { ...c, span: c.span === 24 ? 12 : 24 } : c)),
                              )
                            }
                          >
                            {card.span === 24 ? t('analytics.narrow') : t('analytics.widen')}
                          </Button>
                          <Button
                            size="small"
                            danger
                            onClick={() => saveLayout(board.layout.filter((_, i) => i !== index))}
                          >
                            {t('common.delete')}
                          </Button>
                        </>
                      )}
                    </Space>
                  }
                >
                  {report ? <ReportView definition={report.definition} /> : <Empty />}
                </Card>
              </Col>
            );
          })}
        </Row>
      )}
    </Space>
  );
}
