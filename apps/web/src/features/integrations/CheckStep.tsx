import type { DataDictionary, ImportReport } from '@serviceloop/contracts';
import { Alert, Button, Card, Checkbox, Select, Space, Spin, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { ErrorFileButton, ImportErrorTable, isDuplicate } from './ImportErrors';
import type { Lang, Mapping } from './import-mapping';

type Field = DataDictionary['entities'][number]['fields'][number];

/**
 * Step 3: a preview of the first rows as they will be stored, the free-text values the taxonomy
 * cannot place (to map, optionally as new synonyms), and every problem by row — before anything is written.
 */
export function CheckStep(props: {
  report: ImportReport;
  fields: Field[];
  lang: Lang;
  mapping: Mapping;
  categories: { value: string; label: string }[];
  values: Record<string, string>;
  onValues: (values: Record<string, string>) => void;
  synonyms: string[];
  onSynonyms: (synonyms: string[]) => void;
  busy: boolean;
  onBack: () => void;
  onRecheck: () => void;
  onCommit: () => void;
}) {
  const { report, fields, lang, mapping, values, synonyms, busy } = props;
  const { t } = useTranslation();
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={t('imports.preview', { count: report.rowCount })}>
        <Table
          size="small"
          rowKey="row"
          scroll={{ x: true }}
          pagination={false}
          dataSource={report.preview.slice(0, 5)}
          columns={[
            { title: t('imports.row'), dataIndex: 'row', width: 60 },
            ...fields
              .filter((f) => Object.values(mapping).includes(f.key))
              .map((f) => ({
                title: f.label[lang],
                dataIndex: f.key,
                render: (v: unknown) =>
                  v === null || v === undefined
                    ? ''
                    : f.type === 'datetime'
                      ? new Date(String(v)).toLocaleString(lang)
                      : String(v),
              })),
          ]}
        />
      </Card>
      {report.unmapped.length > 0 && (
        <Card title={t('imports.unmappedTitle')} data-testid="import-unmapped">
          <Typography.Paragraph type="secondary">{t('imports.unmappedHint')}</Typography.Paragraph>
          <Table
            size="small"
            rowKey="value"
            pagination={false}
            dataSource={report.unmapped}
            columns={[
              { title: t('imports.value'), dataIndex: 'value' },
              { title: t('imports.rows'), dataIndex: 'count', width: 80 },
              {
                title: t('imports.category'),
                width: 320,
                render: (_, u) => (
                  <Select
                    showSearch
                    optionFilterProp="label"
                    style={{ width: 300 }}
                    placeholder={t('imports.chooseCategory')}
                    value={values[u.value]}
                    data-testid={`unmapped-${u.value}`}
                    onChange={(code) => props.onValues({ ...values, [u.value]: code })}
                    options={props.categories}
                  />
                ),
              },
              {
                title: t('imports.asSynonym'),
                width: 120,
                render: (_, u) => (
                  <Checkbox
                    checked={synonyms.includes(u.value)}
                    disabled={!values[u.value]}
                    onChange={(e) =>
                      props.onSynonyms(
                        e.target.checked ? [...synonyms, u.value] : synonyms.filter((s) => s !== u.value),
                      )
                    }
                  />
                ),
              },
            ]}
          />
        </Card>
      )}
      <Card
        title={t('imports.reportTitle')}
        extra={report.run.hasErrorFile && report.errorCount > 0 && <ErrorFileButton runId={report.run.id} />}
      >
        {report.errorCount === 0 ? (
          <Alert type="success" showIcon message={t('imports.allGood', { count: report.rowCount })} />
        ) : (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Alert
              type="error"
              showIcon
              data-testid="import-report-summary"
              message={t('imports.problems', { count: report.errorCount })}
              description={
                report.errors.some(isDuplicate)
                  ? t('imports.duplicates', {
                      count: report.errors.filter(isDuplicate).length,
                    })
                  : undefined
              }
            />
            <ImportErrorTable errors={report.errors} />
          </Space>
        )}
      </Card>
      <Space>
        <Button onClick={props.onBack}>{t('imports.backToMapping')}</Button>
        <Button loading={busy} onClick={props.onRecheck} data-testid="import-recheck">
          {t('imports.recheck')}
        </Button>
        <Button type="primary" loading={busy} onClick={props.onCommit} data-testid="import-commit" disabled={busy}>
          {t('imports.commit', { count: report.rowCount })}
        </Button>
      </Space>
      {busy && <Spin tip={t('imports.importing')} />}
    </Space>
  );
}
