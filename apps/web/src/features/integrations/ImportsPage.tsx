import { DownloadOutlined } from '@ant-design/icons';
import type { ImportRun } from '@serviceloop/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { usePagedList } from '../../lib/hooks';
import { ImportWizard } from './ImportWizard';

const STATE_COLOR = { uploaded: 'default', failed: 'red', imported: 'green' } as const;

/** Historical import: the wizard, and the history of every file brought in or refused. */
export default function ImportsPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  return (
    <Card title={t('imports.title')}>
      <Tabs
        items={[
          {
            key: 'new',
            label: t('imports.newImport'),
            children: <ImportWizard onImported={() => void client.invalidateQueries({ queryKey: ['/imports'] })} />,
          },
          { key: 'history', label: t('imports.history'), children: <ImportHistory /> },
        ]}
      />
    </Card>
  );
}

function ImportHistory() {
  const { t, i18n } = useTranslation();
  const list = usePagedList<ImportRun>('/imports');
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '');
  return (
    <Table<ImportRun>
      size="small"
      rowKey="id"
      loading={list.isLoading}
      dataSource={list.data?.items}
      pagination={list.pagination}
      data-testid="import-history"
      columns={[
        { title: t('imports.when'), dataIndex: 'createdAt', render: when, width: 180 },
        { title: t('imports.who'), dataIndex: 'createdByName', width: 160 },
        { title: t('imports.file'), dataIndex: 'fileName' },
        {
          title: t('imports.entity'),
          dataIndex: 'entity',
          render: (e) => labelOf(t, 'imports.entities', e),
          width: 100,
        },
        {
          title: t('imports.state'),
          dataIndex: 'state',
          width: 100,
          render: (s: ImportRun['state']) => <Tag color={STATE_COLOR[s]}>{t(`imports.states.${s}`)}</Tag>,
        },
        { title: t('imports.rowsOk'), dataIndex: 'importedCount', width: 100 },
        {
          title: t('imports.rowsFailed'),
          width: 110,
          render: (_, r) => (r.errorCount ? <Typography.Text type="danger">{r.errorCount}</Typography.Text> : 0),
        },
        {
          title: t('imports.errorFile'),
          width: 120,
          render: (_, r) =>
            r.hasErrorFile && (
              <Button size="small" icon={<DownloadOutlined />} href={`/api/v1/imports/${r.id}/error-file`}>
                xlsx
              </Button>
            ),
        },
      ]}
    />
  );
}
