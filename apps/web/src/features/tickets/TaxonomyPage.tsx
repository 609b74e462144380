import type { FaultCategory } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Form, Input, Row, Select, Space, Tag, Tree, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, get, post, query, showFieldErrors } from '../../lib/api';
import { useAuth } from '../identity/auth';

/** The fault taxonomy (seed 000) and its synonym list: how free-text problem types become categories. */
export default function TaxonomyPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [categoryForm] = Form.useForm();
  const [synonymForm] = Form.useForm();
  const [probe, setProbe] = useState<{ text: string; categoryId: string | null } | null>(null);
  const { data = [] } = useQuery({
    queryKey: ['fault-categories'],
    queryFn: () => get<FaultCategory[]>('/fault-categories'),
  });
  const name = (c: FaultCategory) => (i18n.language === 'zh-CN' ? c.nameZh : c.nameEn);
  /** A category in the tree: its name, then its code (a code, left untranslated). */
  const named = (c: FaultCategory) => (
    <>
      {name(c)}{' '}
      <Typography.Text type="secondary" translate="no">
        {c.code}
      </Typography.Text>
    </>
  );
  const roots = data.filter((c) => !c.parentId);
  const leaves = data.filter((c) => c.parentId);
  const editable = can('settings', 'update');

  const save = async (form: typeof categoryForm, path: string) => {
    try {
      await post(path, await form.validateFields());
      form.resetFields();
      message.success(t('common.saved'));
      void client.invalidateQueries({ queryKey: ['fault-categories'] });
    } catch (e) {
      if (!showFieldErrors(form, e)) message.error(errorText(e));
    }
  };

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <Card title={t('taxonomy.title')}>
          <Tree
            defaultExpandAll
            treeData={roots.map((root) => ({
              key: root.id,
              title: named(root),
              children: leaves.filter((l) => l.parentId === root.id).map((l) => ({ key: l.id, title: named(l) })),
            }))}
          />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Card title={t('taxonomy.classify')}>
            <Input.Search
              placeholder="主板坏了 / mainboard failure"
              enterButton={t('taxonomy.try')}
              onSearch={async (text) => {
                if (!text.trim()) return;
                const { categoryId } = await get<{ categoryId: string | null }>(
                  `/fault-categories/classify${query({ text })}`,
                );
                setProbe({ text, categoryId });
              }}
            />
            {probe && (
              <Typography.Paragraph style={{ marginTop: 12 }}>
                「{probe.text}」 →{' '}
                {probe.categoryId ? (
                  <Tag color="blue">{name(data.find((c) => c.id === probe.categoryId)!)}</Tag>
                ) : (
                  <Tag>{t('taxonomy.unmapped')}</Tag>
                )}
              </Typography.Paragraph>
            )}
          </Card>
          {editable && (
            <Card title={t('taxonomy.addSynonym')}>
              <Form form={synonymForm} layout="vertical">
                <Form.Item name="phrase" label={t('taxonomy.phrase')} rules={[{ required: true }]}>
                  <Input />
                </Form.Item>
                <Form.Item name="categoryId" label={t('tickets.category')} rules={[{ required: true }]}>
                  <Select
                    showSearch
                    optionFilterProp="label"
                    options={leaves.map((l) => ({ value: l.id, label: name(l) }))}
                  />
                </Form.Item>
                <Button type="primary" onClick={() => save(synonymForm, '/fault-synonyms')}>
                  {t('common.save')}
                </Button>
              </Form>
            </Card>
          )}
          {editable && (
            <Card title={t('taxonomy.addCategory')}>
              <Form form={categoryForm} layout="vertical">
                <Form.Item name="parentId" label={t('taxonomy.parent')}>
                  <Select allowClear options={roots.map((r) => ({ value: r.id, label: name(r) }))} />
                </Form.Item>
                <Form.Item name="code" label={t('taxonomy.code')} rules={[{ required: true }]}>
                  <Input placeholder="hardware.battery" translate="no" />
                </Form.Item>
                <Form.Item name="nameZh" label={t('taxonomy.nameZh')} rules={[{ required: true }]}>
                  <Input />
                </Form.Item>
                <Form.Item name="nameEn" label={t('taxonomy.nameEn')} rules={[{ required: true }]}>
                  <Input />
                </Form.Item>
                <Button type="primary" onClick={() => save(categoryForm, '/fault-categories')}>
                  {t('common.save')}
                </Button>
              </Form>
            </Card>
          )}
        </Space>
      </Col>
    </Row>
  );
}
