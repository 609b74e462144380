import { DownloadOutlined } from '@ant-design/icons';
import type { RowError } from '@serviceloop/contracts';
import { Button, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const DUPLICATE = new Set(['import.duplicate_in_file', 'import.duplicate_existing']);
/** A row refused because it repeats another row or an existing record: marked apart from other problems. */
export const isDuplicate = (e: RowError) => DUPLICATE.has(e.code);

/** The refused rows, with the column and value each problem is about. */
export function ImportErrorTable({ errors }: { errors: RowError[] }) {
  const { t } = useTranslation();
  return (
    <Table<RowError>
      size="small"
      rowKey={(e) => `${e.row}-${e.field}-${e.code}`}
      dataSource={errors}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
      data-testid="import-errors"
      columns={[
        { title: t('imports.row'), dataIndex: 'row', width: 80 },
        { title: t('imports.column'), dataIndex: 'column', width: 140, render: (c) => c ?? '—' },
        { title: t('imports.value'), dataIndex: 'value', width: 160, render: (v) => v ?? '' },
        {
          title: t('imports.problem'),
          dataIndex: 'message',
          render: (m: string, e) => (isDuplicate(e) ? <Tag color="orange">{m}</Tag> : m),
        },
      ]}
    />
  );
}

/** The uploaded file with a column of problems added, to fix in Excel and upload again. */
export function ErrorFileButton({ runId }: { runId: string }) {
  const { t } = useTranslation();
  return (
    <Button icon={<DownloadOutlined />} href={`/api/v1/imports/${runId}/error-file`} data-testid="import-error-file">
      {t('imports.errorFile')}
    </Button>
  );
}
