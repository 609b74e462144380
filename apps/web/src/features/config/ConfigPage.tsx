import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import type { ConfigDocument, ConfigImportRecord, ConfigImportResult, ConfigSectionInfo } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Input, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorText, get, post } from '../../lib/api';

type Secrets = Record<string, Record<string, { url?: string; secret?: string }>>;
interface Problem {
  path: string;
  code?: string;
  message: string;
  key?: string;
}

/**
 * Configuration between installations: export chosen sections as JSON; import a document — a
 * dry run first shows per section what would be created, updated or left, or what is wrong
 * (and asks for the credentials documents never carry) — then apply it all at once.
 */
export default function ConfigPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const sections = useQuery({
    queryKey: ['config', 'sections'],
    queryFn: () => get<ConfigSectionInfo[]>('/config/sections'),
  });
  const history = useQuery({
    queryKey: ['config', 'imports'],
    queryFn: () => get<ConfigImportRecord[]>('/config/imports'),
  });
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [document, setDocument] = useState<{ name: string; body: unknown } | null>(null);
  const [preview, setPreview] = useState<ConfigImportResult | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [secrets, setSecrets] = useState<Secrets>({});
  const [busy, setBusy] = useState(false);
  const all = (sections.data ?? []).map((s) => s.key);
  const selected = chosen ?? all;
  const title = (key: string) => {
    const s = sections.data?.find((x) => x.key === key);
    return s ? (i18n.language === 'en-US' ? s.titleEn : s.titleZh) : key;
  };

  const exportNow = async () => {
    const doc = await get<ConfigDocument>(`/config/export?sections=${encodeURIComponent(selected.join(','))}`);
    const blob = new Blob([`${JSON.stringify(doc, null, 2)}\n`], { type: 'application/json' });
    const link = Object.assign(window.document.createElement('a'), {
      href: URL.createObjectURL(blob),
      download: `serviceloop-config-${doc.exportedAt.slice(0, 10)}.json`,
    });
    link.click();
    URL.revokeObjectURL(link.href);
  };

  /** Items new here that need a URL (and secret): the server names them in its problems. */
  const secretsNeeded = problems.filter((p) => p.code === 'config.secret_needed' && p.key);
  const sectionOf = (path: string) => path.split('.').slice(1, 3).join('.');

  const send = async (dryRun: boolean) => {
    if (!document) return;
    setBusy(true);
    try {
      const result = await post<ConfigImportResult>('/config/import', { document: document.body, dryRun, secrets });
      setPreview(result);
      setProblems([]);
      if (result.applied) {
        message.success(t('config.applied'));
        void client.invalidateQueries();
      }
    } catch (error) {
      setPreview(null);
      if (error instanceof ApiError && Array.isArray(error.details)) setProblems(error.details as Problem[]);
      else message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="config-page">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('config.title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('config.hint')}</Typography.Text>
      <Card size="small" title={t('config.export')}>
        <Space direction="vertical">
          <Checkbox.Group
            value={selected}
            onChange={(v) => setChosen(v as string[])}
            options={all.map((key) => ({ value: key, label: title(key) }))}
          />
          <Button type="primary" icon={<DownloadOutlined />} disabled={selected.length === 0} onClick={exportNow}>
            {t('config.download')}
          </Button>
        </Space>
      </Card>
      <Card size="small" title={t('config.import')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Upload
            accept=".json,application/json"
            showUploadList={false}
            beforeUpload={async (file) => {
              try {
                setDocument({ name: file.name, body: JSON.parse(await file.text()) });
                setPreview(null);
                setProblems([]);
              } catch {
                message.error(t('config.notJson'));
              }
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} data-testid="config-upload">
              {document ? document.name : t('config.choose')}
            </Button>
          </Upload>
          {secretsNeeded.length > 0 && (
            <Alert
              type="info"
              message={t('config.secretsHint')}
              description={
                <Space direction="vertical" style={{ width: '100%' }}>
                  {secretsNeeded.map((p) => {
                    const section = sectionOf(p.path);
                    const given = secrets[section]?.[p.key!] ?? {};
                    const set = (patch: { url?: string; secret?: string }) =>
                      setSecrets({ ...secrets, [section]: { ...secrets[section], [p.key!]: { ...given, ...patch } } });
                    return (
                      <Space key={p.path} wrap>
                        <Tag>{p.key}</Tag>
                        <Input
                          placeholder={t('config.url')}
                          style={{ width: 360 }}
                          value={given.url}
                          onChange={(e) => set({ url: e.target.value || undefined })}
                        />
                        <Input.Password
                          placeholder={t('config.secret')}
                          style={{ width: 200 }}
                          value={given.secret}
                          onChange={(e) => set({ secret: e.target.value || undefined })}
                        />
                      </Space>
                    );
                  })}
                </Space>
              }
            />
          )}
          <Space>
            <Button disabled={!document} loading={busy} onClick={() => send(true)} data-testid="config-preview">
              {t('config.preview')}
            </Button>
            <Button
              type="primary"
              danger
              disabled={!preview || preview.applied}
              loading={busy}
              onClick={() => send(false)}
              data-testid="config-apply"
            >
              {t('config.apply')}
            </Button>
          </Space>
          {problems.length > 0 && (
            <Table<Problem>
              size="small"
              rowKey={(p) => `${p.path}|${p.message}`}
              pagination={false}
              dataSource={problems}
              title={() => <Typography.Text type="danger">{t('config.problems')}</Typography.Text>}
              columns={[
                { title: t('config.path'), dataIndex: 'path', render: (p: string) => <code>{p}</code> },
                { title: t('config.problem'), dataIndex: 'message' },
              ]}
            />
          )}
          {preview && (
            <Table
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={preview.sections}
              title={() =>
                preview.applied
                  ? t('config.appliedFrom', { source: preview.sourceInstallation })
                  : t('config.previewFrom', { source: preview.sourceInstallation, at: preview.exportedAt })
              }
              columns={[
                { title: t('config.section'), dataIndex: 'key', render: (k: string) => title(k) },
                ...(['created', 'updated', 'unchanged'] as const).map((kind) => ({
                  title: t(`config.${kind}`),
                  dataIndex: kind,
                  render: (keys: string[]) =>
                    keys.length === 0 ? (
                      '—'
                    ) : (
                      <span title={keys.join('\n')}>
                        <Tag color={kind === 'created' ? 'green' : kind === 'updated' ? 'blue' : undefined}>
                          {keys.length}
                        </Tag>
                        {kind !== 'unchanged' && keys.slice(0, 3).join('、')}
                        {kind !== 'unchanged' && keys.length > 3 ? ' …' : ''}
                      </span>
                    ),
                })),
              ]}
            />
          )}
        </Space>
      </Card>
      <Card size="small" title={t('config.history')}>
        <Table<ConfigImportRecord>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={history.data ?? []}
          columns={[
            {
              title: t('config.importedAt'),
              dataIndex: 'importedAt',
              render: (v: string) => new Date(v).toLocaleString(),
            },
            { title: t('config.importedBy'), dataIndex: 'importedBy' },
            { title: t('config.source'), dataIndex: 'sourceInstallation' },
            {
              title: t('config.changes'),
              dataIndex: 'summary',
              render: (s: ConfigImportRecord['summary']) =>
                Object.entries(s)
                  .filter(([, c]) => c.created + c.updated > 0)
                  .map(([k, c]) => `${title(k)} +${c.created} ~${c.updated}`)
                  .join('；') || '—',
            },
          ]}
        />
      </Card>
    </Space>
  );
}
