import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import {
  type DataDictionary,
  type FaultCategory,
  IMPORT_ENTITIES,
  type ImportEntity,
  type ImportReport,
  type ImportUpload,
  looseKey,
  type RowError,
} from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Radio,
  Result,
  Select,
  Space,
  Spin,
  Steps,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { ApiError, errorText, get, post, put, uploadHeaders } from '../../lib/api';

type Mapping = Record<string, string | null>;
type Lang = 'zh-CN' | 'en-US';
type Outcome =
  | { ok: true; imported: number; seconds: number }
  | { ok: false; message: string; errors: RowError[]; errorCount: number };

const DUPLICATE = new Set(['import.duplicate_in_file', 'import.duplicate_existing']);

/**
 * The import console: choose what to import and upload the file → pick the sheet (the one with
 * the header is read by default) and map its columns (guessed,
 * saved mappings loaded and saved) → check: preview, the free-text values the taxonomy cannot
 * place (map them, optionally as new synonyms), every problem by row, duplicates → import the
 * whole file or nothing → the result, with the error file to download when it was refused.
 */
export function ImportWizard({ onImported }: { onImported: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = (i18n.language === 'en-US' ? 'en-US' : 'zh-CN') as Lang;
  const { message } = App.useApp();
  const client = useQueryClient();
  const [entity, setEntity] = useState<ImportEntity>('ticket');
  const [upload, setUpload] = useState<ImportUpload | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [saveMapping, setSaveMapping] = useState(true);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [synonyms, setSynonyms] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const step = outcome ? 3 : report ? 2 : upload ? 1 : 0;

  const dictionary = useQuery({
    queryKey: ['data-dictionary'],
    queryFn: () => get<DataDictionary>('/data-dictionary'),
  });
  const categories = useQuery({
    queryKey: ['fault-categories'],
    queryFn: () => get<FaultCategory[]>('/fault-categories'),
  });
  const fields = dictionary.data?.entities.find((e) => e.entity === entity)?.fields ?? [];
  const leaves = useMemo(() => {
    const all = categories.data ?? [];
    const name = (c: FaultCategory) => (lang === 'zh-CN' ? c.nameZh : c.nameEn);
    return all
      .filter((c) => c.parentId && c.active)
      .map((c) => {
        const parent = all.find((p) => p.id === c.parentId);
        return { value: c.code, label: parent ? `${name(parent)} / ${name(c)}` : name(c) };
      });
  }, [categories.data, lang]);

  const reset = () => {
    setUpload(null);
    setReport(null);
    setOutcome(null);
    setValues({});
    setSynonyms([]);
  };
  const options = () => ({ mapping, values, saveSynonyms: synonyms, saveMapping });

  /** A server call while the buttons wait; a refusal is shown as a message. */
  const whileBusy = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  const analyse = () =>
    whileBusy(async () => {
      if (!upload) return;
      setReport(await post<ImportReport>(`/imports/${upload.run.id}/analyse`, options()));
      if (saveMapping) void client.invalidateQueries({ queryKey: ['import-mapping', entity] });
    });

  /** Another sheet of the workbook: its header, sample and guessed mapping replace the current ones. */
  const chooseSheet = (sheet: string) =>
    whileBusy(async () => {
      if (!upload) return;
      const answer = await put<ImportUpload>(`/imports/${upload.run.id}/sheet`, { sheet });
      setUpload(answer);
      setMapping(answer.mapping);
    });

  const commit = async () => {
    if (!upload) return;
    setBusy(true);
    const started = performance.now();
    try {
      const done = await post<{ imported: number }>(`/imports/${upload.run.id}/commit`, options());
      setOutcome({ ok: true, imported: done.imported, seconds: (performance.now() - started) / 1000 });
      onImported();
    } catch (error) {
      const details = error instanceof ApiError ? (error.details as { errors?: RowError[]; errorCount?: number }) : {};
      setOutcome({
        ok: false,
        message: error instanceof ApiError ? error.message : errorText(error),
        errors: details?.errors ?? [],
        errorCount: details?.errorCount ?? 0,
      });
      onImported();
    } finally {
      setBusy(false);
    }
  };

  const loadSaved = async () => {
    if (!upload) return;
    const saved = await get<{ mapping: Record<string, string> }>(`/import-mappings?entity=${entity}`);
    const next: Mapping = {};
    for (const header of upload.headers) next[header] = saved.mapping[looseKey(header)] ?? null;
    setMapping(next);
    message.success(t('imports.savedLoaded'));
  };

  const errorFile = (runId: string) => (
    <Button icon={<DownloadOutlined />} href={`/api/v1/imports/${runId}/error-file`} data-testid="import-error-file">
      {t('imports.errorFile')}
    </Button>
  );

  const errorTable = (errors: RowError[]) => (
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
          render: (m: string, e) => (DUPLICATE.has(e.code) ? <Tag color="orange">{m}</Tag> : m),
        },
      ]}
    />
  );

  const mappedTwice = new Set(Object.values(mapping).filter((v, i, all) => v && all.indexOf(v) !== i) as string[]);
  const missing = fields.filter((f) => f.required && !Object.values(mapping).includes(f.key));

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Steps
        current={step}
        items={['choose', 'mapping', 'check', 'result'].map((s) => ({ title: labelOf(t, 'imports.steps', s) }))}
      />

      {step === 0 && (
        <Card>
          <Space direction="vertical" size="middle">
            <Radio.Group
              value={entity}
              onChange={(e) => setEntity(e.target.value)}
              optionType="button"
              options={IMPORT_ENTITIES.map((e) => ({ value: e, label: t(`imports.entities.${e}`) }))}
              data-testid="import-entity"
            />
            <Space wrap>
              <Upload
                name="file"
                action="/api/v1/imports"
                headers={uploadHeaders()}
                data={{ entity }}
                accept=".xlsx,.csv"
                showUploadList={false}
                onChange={({ file }) => {
                  if (file.status === 'done') {
                    const answer = file.response as ImportUpload;
                    setUpload(answer);
                    setMapping(answer.mapping);
                  }
                  if (file.status === 'error')
                    message.error((file.response as { message?: string })?.message ?? t('imports.uploadFailed'));
                }}
              >
                <Button type="primary" icon={<UploadOutlined />} data-testid="import-upload">
                  {t('imports.upload')}
                </Button>
              </Upload>
              <Button
                icon={<DownloadOutlined />}
                href={`/api/v1/data-dictionary/template?entity=${entity}&lang=${lang}`}
              >
                {t('imports.template')}
              </Button>
            </Space>
            <Typography.Text type="secondary">{t('imports.uploadHint')}</Typography.Text>
          </Space>
        </Card>
      )}

      {step === 1 && upload && (
        <Card
          title={t('imports.mappingTitle', { file: upload.run.fileName, row: upload.headerRow })}
          extra={
            <Button onClick={() => void loadSaved()} data-testid="import-load-mapping">
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
                onChange={(sheet: string) => void chooseSheet(sheet)}
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
                    onChange={(key) => setMapping({ ...mapping, [header]: key || null })}
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
            <Checkbox checked={saveMapping} onChange={(e) => setSaveMapping(e.target.checked)}>
              {t('imports.saveMapping')}
            </Checkbox>
            <Button onClick={reset}>{t('imports.restart')}</Button>
            <Button
              type="primary"
              loading={busy}
              disabled={missing.length > 0 || mappedTwice.size > 0}
              onClick={() => void analyse()}
              data-testid="import-analyse"
            >
              {t('imports.check')}
            </Button>
          </Space>
        </Card>
      )}

      {step === 2 && report && upload && (
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
                        onChange={(code) => setValues({ ...values, [u.value]: code })}
                        options={leaves}
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
                          setSynonyms(e.target.checked ? [...synonyms, u.value] : synonyms.filter((s) => s !== u.value))
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
            extra={report.run.hasErrorFile && report.errorCount > 0 && errorFile(report.run.id)}
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
                    report.errors.some((e) => DUPLICATE.has(e.code))
                      ? t('imports.duplicates', {
                          count: report.errors.filter((e) => DUPLICATE.has(e.code)).length,
                        })
                      : undefined
                  }
                />
                {errorTable(report.errors)}
              </Space>
            )}
          </Card>
          <Space>
            <Button onClick={() => setReport(null)}>{t('imports.backToMapping')}</Button>
            <Button loading={busy} onClick={() => void analyse()} data-testid="import-recheck">
              {t('imports.recheck')}
            </Button>
            <Button
              type="primary"
              loading={busy}
              onClick={() => void commit()}
              data-testid="import-commit"
              disabled={busy}
            >
              {t('imports.commit', { count: report.rowCount })}
            </Button>
          </Space>
          {busy && <Spin tip={t('imports.importing')} />}
        </Space>
      )}

      {step === 3 && outcome && upload && (
        <Card>
          {outcome.ok ? (
            <Result
              status="success"
              title={t('imports.imported', { count: outcome.imported })}
              subTitle={t('imports.took', { seconds: outcome.seconds.toFixed(1) })}
              extra={<Button onClick={reset}>{t('imports.another')}</Button>}
              data-testid="import-result"
            />
          ) : (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Result
                status="error"
                title={t('imports.refused')}
                subTitle={outcome.message}
                data-testid="import-result"
                extra={
                  <Space>
                    {outcome.errorCount > 0 && errorFile(upload.run.id)}
                    <Button onClick={reset}>{t('imports.another')}</Button>
                  </Space>
                }
              />
              {outcome.errors.length > 0 && errorTable(outcome.errors)}
            </Space>
          )}
        </Card>
      )}
    </Space>
  );
}
