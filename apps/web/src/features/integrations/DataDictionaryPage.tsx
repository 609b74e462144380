import { DownloadOutlined } from '@ant-design/icons';
import type { DataDictionary } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { get } from '../../lib/api';
import { queryState } from '../../lib/QueryState';

type Lang = 'zh-CN' | 'en-US';
type Field = DataDictionary['entities'][number]['fields'][number];

/**
 * Every importable field with its meaning, type and allowed values, the fault taxonomy problem
 * types are normalised to, and the custom ticket fields — all as the server generates them from
 * the contracts, the taxonomy and the form designer.
 */
export default function DataDictionaryPage() {
  const { t, i18n } = useTranslation();
  const lang = (i18n.language === 'en-US' ? 'en-US' : 'zh-CN') as Lang;
  const dictionary = useQuery({
    queryKey: ['data-dictionary'],
    queryFn: () => get<DataDictionary>('/data-dictionary'),
  });
  const state = queryState(dictionary);
  if (state) return state;
  const data = dictionary.data!;
  const join = (values: string[]) => values.join(lang === 'zh-CN' ? '、' : ', ');
  const allowed = (f: Field) => {
    if (f.values.length) return join(f.values.map((v) => `${v.label[lang]} (${v.value})`));
    if (f.reference) return t(`dictionary.references.${f.reference}`);
    if (f.type !== 'text' && f.min !== null) return `${f.min} – ${f.max}`;
    return f.max !== null ? t('dictionary.maxLength', { max: f.max }) : '';
  };
  return (
    <Card title={t('dictionary.title')}>
      <Typography.Paragraph type="secondary">{t('dictionary.intro')}</Typography.Paragraph>
      <Tabs
        items={[
          ...data.entities.map(({ entity, fields }) => ({
            key: entity,
            label: t(`imports.entities.${entity}`),
            children: (
              <>
                <Button
                  icon={<DownloadOutlined />}
                  href={`/api/v1/data-dictionary/template?entity=${entity}&lang=${lang}`}
                  style={{ marginBottom: 12 }}
                >
                  {t('imports.template')}
                </Button>
                <Table<Field>
                  size="small"
                  rowKey="key"
                  pagination={false}
                  dataSource={fields}
                  data-testid={`dictionary-${entity}`}
                  columns={[
                    { title: t('dictionary.field'), render: (_, f) => f.label[lang], width: 180 },
                    { title: t('dictionary.key'), dataIndex: 'key', width: 140, render: (k) => <code>{k}</code> },
                    {
                      title: t('dictionary.type'),
                      dataIndex: 'type',
                      width: 110,
                      render: (ty) => labelOf(t, 'dictionary.types', ty),
                    },
                    {
                      title: t('dictionary.required'),
                      width: 110,
                      render: (_, f) => (
                        <>
                          {f.required && <Tag color="red">{t('dictionary.required')}</Tag>}
                          {f.unique && <Tag>{t('dictionary.unique')}</Tag>}
                        </>
                      ),
                    },
                    { title: t('dictionary.meaning'), render: (_, f) => f.description[lang] },
                    { title: t('dictionary.allowed'), render: (_, f) => allowed(f) },
                  ]}
                />
              </>
            ),
          })),
          {
            key: 'categories',
            label: t('dictionary.categories'),
            children: (
              <Table
                size="small"
                rowKey="code"
                pagination={false}
                dataSource={data.faultCategories.filter((c) => c.active)}
                data-testid="dictionary-categories"
                columns={[
                  {
                    title: t('dictionary.category'),
                    render: (_, c) =>
                      c.parentCode ? <span style={{ paddingLeft: 24 }}>{c.label[lang]}</span> : <b>{c.label[lang]}</b>,
                  },
                  { title: t('dictionary.key'), dataIndex: 'code', render: (k) => <code>{k}</code> },
                  { title: t('dictionary.synonyms'), render: (_, c) => join(c.synonyms) },
                ]}
              />
            ),
          },
          {
            key: 'custom',
            label: t('dictionary.customFields'),
            children: (
              <Table
                size="small"
                rowKey={(f) => `${f.ticketType}.${f.key}`}
                pagination={false}
                dataSource={data.customFields}
                data-testid="dictionary-custom"
                locale={{ emptyText: t('dictionary.noCustomFields') }}
                columns={[
                  { title: t('dictionary.field'), render: (_, f) => f.label[lang] },
                  { title: t('dictionary.key'), dataIndex: 'key', render: (k) => <code>{k}</code> },
                  { title: t('dictionary.ticketType'), dataIndex: 'ticketType' },
                  { title: t('dictionary.type'), dataIndex: 'kind' },
                  {
                    title: t('dictionary.required'),
                    render: (_, f) => (f.required ? <Tag color="red">{t('dictionary.required')}</Tag> : null),
                  },
                  { title: t('dictionary.meaning'), render: (_, f) => f.description[lang] },
                  { title: t('dictionary.allowed'), render: (_, f) => join(f.values.map((v) => v.label[lang])) },
                ]}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}
