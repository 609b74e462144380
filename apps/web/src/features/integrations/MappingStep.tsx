import type { DataDictionary, ImportUpload } from '@serviceloop/contracts';
import { Alert, Button, Card, Checkbox, Select, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { type Lang, type Mapping, mappingProblems } from './import-mapping';

type Field = DataDictionary['entities'][number]['fields'][number];

/**
 * Step 2: the sheet (when the workbook has several) and each source column's target field, with
 * a sample of its values; checking waits until every required field is filled exactly once.
 */
export function MappingStep(props: {
  upload: ImportUpload;
  fields: Field[];
  lang: Lang;
  mapping: Mapping;
  onMapping: (mapping: Mapping) => void;
  saveMapping: boolean;
  onSaveMapping: (save: boolean) => void;
  busy: boolean;
  onSheet: (sheet: string) => void;
  onLoadSaved: () => void;
  onRestart: () => void;
  onCheck: () => void;
}) {
  const { upload, fields, lang, mapping, saveMapping, busy } = props;
  const { t } = useTranslation();
  const { mappedTwice, missing } = mappingProblems(fields, mapping);
  return (
    <Card
      title={t('imports.mappingTitle', { file: upload.run.fileName, row: upload.headerRow })}
      extra={
        <Button onClick={props.onLoadSaved} data-testid="import-load-mapping">
          {t('imports.loadSaved')}
        </Button>
      }
    >
      {upload.sheets.length > 1 && (
        <Space wrap style={{ marginBottom: 12 }}>
          <Typography.Text>{t('imports.sheet')}</Typography.Text>
          <Select
            style={{ minWidth: 200 }}
            value={upload.sheet}
            disabled={busy}
            data-testid="import-sheet"
            onChange={(sheet: string) => props.onSheet(sheet)}
            options={upload.sheets.map((sheet) => ({ value: sheet, label: sheet }))}
          />
          <Typography.Text type="secondary">{t('imports.sheetHint')}</Typography.Text>
        </Space>
      )}
      <Table
        size="small"
        rowKey="header"
        pagination={false}
        data-testid="import-mapping"
        dataSource={upload.headers.map((header, i) => ({
          header,
          sample: upload.sample
            .map((r) => r[i])
            .filter(Boolean)
            .slice(0, 3),
        }))}
        columns={[
          { title: t('imports.sourceColumn'), dataIndex: 'header', width: 200 },
          {
            title: t('imports.sample'),
            dataIndex: 'sample',
            render: (s: string[]) => <Typography.Text type="secondary">{s.join(' · ')}</Typography.Text>,
          },
          {
            title: t('imports.targetField'),
            width: 260,
            render: (_, { header }) => (
              <Select
                style={{ width: 240 }}
                value={mapping[header] ?? ''}
                status={mapping[header] && mappedTwice.has(mapping[header]!) ? 'error' : undefined}
                data-testid={`map-${header}`}
                onChange={(key) => props.onMapping({ ...mapping, [header]: key || null })}
                options={[
                  { value: '', label: t('imports.notImported') },
                  ...fields.map((f) => ({ value: f.key, label: `${f.label[lang]}${f.required ? ' *' : ''}` })),
                ]}
              />
            ),
          },
        ]}
      />
      {missing.length > 0 && (
        <Alert
          style={{ marginTop: 12 }}
          type="warning"
          showIcon
          message={t('imports.missingRequired', { fields: missing.map((f) => f.label[lang]).join('、') })}
        />
      )}
      <Space style={{ marginTop: 16 }}>
        <Checkbox checked={saveMapping} onChange={(e) => props.onSaveMapping(e.target.checked)}>
          {t('imports.saveMapping')}
        </Checkbox>
        <Button onClick={props.onRestart}>{t('imports.restart')}</Button>
        <Button
          type="primary"
          loading={busy}
          disabled={missing.length > 0 || mappedTwice.size > 0}
          onClick={props.onCheck}
          data-testid="import-analyse"
        >
          {t('imports.check')}
        </Button>
      </Space>
    </Card>
  );
}
