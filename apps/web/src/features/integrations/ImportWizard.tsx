import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import {
  type DataDictionary,
  type FaultCategory,
  IMPORT_ENTITIES,
  type ImportEntity,
  type ImportReport,
  type ImportUpload,
  type RowError,
} from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Radio, Result, Space, Steps, Typography, Upload } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { ApiError, errorText, get, post, put, uploadHeaders } from '../../lib/api';
import { CheckStep } from './CheckStep';
import { ErrorFileButton, ImportErrorTable } from './ImportErrors';
import { appliedMapping, categoryChoices, type Lang, type Mapping } from './import-mapping';
import { MappingStep } from './MappingStep';

type Outcome =
  | { ok: true; imported: number; seconds: number }
  | { ok: false; message: string; errors: RowError[]; errorCount: number };

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
  const leaves = useMemo(() => categoryChoices(categories.data ?? [], lang), [categories.data, lang]);

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
    setMapping(appliedMapping(upload.headers, saved.mapping));
    message.success(t('imports.savedLoaded'));
  };

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
        <MappingStep
          upload={upload}
          fields={fields}
          lang={lang}
          mapping={mapping}
          onMapping={setMapping}
          saveMapping={saveMapping}
          onSaveMapping={setSaveMapping}
          busy={busy}
          onSheet={(sheet) => void chooseSheet(sheet)}
          onLoadSaved={() => void loadSaved()}
          onRestart={reset}
          onCheck={() => void analyse()}
        />
      )}

      {step === 2 && report && upload && (
        <CheckStep
          report={report}
          fields={fields}
          lang={lang}
          mapping={mapping}
          categories={leaves}
          values={values}
          onValues={setValues}
          synonyms={synonyms}
          onSynonyms={setSynonyms}
          busy={busy}
          onBack={() => setReport(null)}
          onRecheck={() => void analyse()}
          onCommit={() => void commit()}
        />
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
                    {outcome.errorCount > 0 && <ErrorFileButton runId={upload.run.id} />}
                    <Button onClick={reset}>{t('imports.another')}</Button>
                  </Space>
                }
              />
              {outcome.errors.length > 0 && <ImportErrorTable errors={outcome.errors} />}
            </Space>
          )}
        </Card>
      )}
    </Space>
  );
}
