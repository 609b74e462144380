import { FIELD_LIMITS, type FieldDefinition, FieldKind } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { errorText, get, patch, post, showFieldErrors } from '../../lib/api';
import { CustomFields } from './CustomFields';
import { formatChoices, parseChoices } from './values';

/** The kinds in the contract's order: a kind added there appears here. */
const KINDS = FieldKind.options;
const WITH_CHOICES = new Set<FieldKind>(['select', 'multiSelect', 'cascade']);

/**
 * The report form's custom fields: add and edit them, drag rows to reorder, switch them off
 * (old tickets keep their values), and see the form as it will look in Chinese and English.
 */
export default function FormDesignerPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [editing, setEditing] = useState<FieldDefinition | 'new' | null>(null);
  const [dragged, setDragged] = useState<number | null>(null);
  const [form] = Form.useForm();
  const fields = useQuery({
    queryKey: ['forms', 'repair'],
    queryFn: () => get<FieldDefinition[]>('/forms/fields?ticketType=repair'),
  });
  const list = [...(fields.data ?? [])].sort((a, b) => a.position - b.position);
  const refresh = () => client.invalidateQueries({ queryKey: ['forms', 'repair'] });

  const open = (field: FieldDefinition | 'new') => {
    setEditing(field);
    form.resetFields();
    if (field !== 'new')
      form.setFieldsValue({
        ...field,
        choicesText: formatChoices(field.choices),
        showWhenKey: field.showWhen?.key,
        showWhenValue: field.showWhen ? JSON.stringify(field.showWhen.equals) : undefined,
      });
  };
  const save = async () => {
    const { choicesText, showWhenKey, showWhenValue, ...v } = await form.validateFields();
    const body = {
      ...v,
      choices: parseChoices(choicesText ?? ''),
      showWhen: showWhenKey
        ? { key: showWhenKey, equals: showWhenValue === undefined ? true : JSON.parse(showWhenValue) }
        : null,
    };
    try {
      if (editing === 'new') await post('/forms/fields', { ...body, position: list.length });
      else if (editing) {
        const { key: _key, ...rest } = body;
        await patch(`/forms/fields/${editing.id}`, { ...rest, version: editing.version });
      }
      setEditing(null);
      void refresh();
    } catch (error) {
      if (!showFieldErrors(form, error)) message.error(errorText(error));
    }
  };
  const toggle = async (field: FieldDefinition, active: boolean) => {
    await patch(`/forms/fields/${field.id}`, { active, version: field.version }).catch((e) =>
      message.error(errorText(e)),
    );
    void refresh();
  };
  /** Drag-and-drop reorder: renumber every field whose position changes, each with its version. */
  const move = async (from: number, to: number) => {
    if (from === to) return;
    const order = [...list];
    const [field] = order.splice(from, 1);
    order.splice(to, 0, field!);
    const changed = order.map((f, position) => ({ f, position })).filter(({ f, position }) => f.position !== position);
    const results = await Promise.allSettled(
      changed.map(({ f, position }) => patch(`/forms/fields/${f.id}`, { position, version: f.version })),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) message.error(errorText((failed as PromiseRejectedResult).reason));
    void refresh();
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="form-designer">
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('forms.title')}
        </Typography.Title>
        <Button type="primary" onClick={() => open('new')} data-testid="field-add">
          {t('forms.add')}
        </Button>
      </Space>
      <Typography.Text type="secondary">{t('forms.hint')}</Typography.Text>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={list}
        onRow={(_, index) => ({
          draggable: true,
          onDragStart: () => setDragged(index ?? null),
          onDragOver: (e) => e.preventDefault(),
          onDrop: () => dragged !== null && move(dragged, index ?? 0),
          style: { cursor: 'grab' },
        })}
        columns={[
          { title: t('forms.label'), render: (_, f) => `${f.labelZh} / ${f.labelEn}` },
          { title: t('forms.key'), dataIndex: 'key' },
          { title: t('forms.kind'), dataIndex: 'kind', render: (k: string) => labelOf(t, 'forms.kinds', k) },
          {
            title: t('forms.required'),
            dataIndex: 'required',
            render: (r: boolean) => (r ? <Tag color="red">{t('forms.required')}</Tag> : null),
          },
          {
            title: t('forms.active'),
            render: (_, f) => <Switch size="small" checked={f.active} onChange={(on) => toggle(f, on)} />,
          },
          {
            title: '',
            render: (_, f) => (
              <Button size="small" onClick={() => open(f)}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <Row gutter={16}>
        {(['zh-CN', 'en-US'] as const).map((lang) => (
          <Col xs={24} lg={12} key={lang}>
            <Card size="small" title={`${t('forms.preview')} · ${lang}`}>
              <Form layout="vertical">
                <Row gutter={16}>
                  <CustomFields definitions={list} lang={lang} />
                </Row>
              </Form>
            </Card>
          </Col>
        ))}
      </Row>
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('forms.add') : t('common.edit')}
        onOk={save}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ kind: 'text', required: false }}>
          <Form.Item name="key" label={t('forms.key')} rules={[{ required: true }]}>
            <Input disabled={editing !== 'new'} placeholder="runningHours" />
          </Form.Item>
          <Form.Item name="labelZh" label={t('forms.labelZh')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="labelEn" label={t('forms.labelEn')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="kind" label={t('forms.kind')}>
            <Select options={KINDS.map((k) => ({ value: k, label: t(`forms.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="required" valuePropName="checked">
            <Checkbox>{t('forms.required')}</Checkbox>
          </Form.Item>
          <Form.Item noStyle shouldUpdate>
            {({ getFieldValue }) =>
              WITH_CHOICES.has(getFieldValue('kind')) ? (
                <Form.Item name="choicesText" label={t('forms.choices')} tooltip={t('forms.choicesHint')}>
                  <Input.TextArea rows={4} placeholder={'day|白班|Day\nnight|夜班|Night'} />
                </Form.Item>
              ) : ['number', 'money'].includes(getFieldValue('kind')) ? (
                <Space>
                  <Form.Item name="min" label={t('forms.min')}>
                    <InputNumber />
                  </Form.Item>
                  <Form.Item name="max" label={t('forms.max')}>
                    <InputNumber />
                  </Form.Item>
                </Space>
              ) : getFieldValue('kind') === 'reference' ? (
                <Form.Item name="reference" label={t('forms.referenceTarget')} rules={[{ required: true }]}>
                  <Select
                    options={(['customer', 'device', 'part'] as const).map((r) => ({
                      value: r,
                      label: t(`forms.references.${r}`),
                    }))}
                  />
                </Form.Item>
              ) : getFieldValue('kind') === 'attachment' ? (
                <Form.Item name="max" label={t('forms.maxFiles')}>
                  <InputNumber min={1} max={FIELD_LIMITS.attachments} placeholder={String(FIELD_LIMITS.attachments)} />
                </Form.Item>
              ) : ['text', 'longText'].includes(getFieldValue('kind')) ? (
                <Form.Item name="pattern" label={t('forms.pattern')}>
                  <Input placeholder="E\d{2,3}" />
                </Form.Item>
              ) : null
            }
          </Form.Item>
          <Space>
            <Form.Item name="showWhenKey" label={t('forms.showWhen')}>
              <Select
                allowClear
                style={{ width: 160 }}
                options={list.map((f) => ({ value: f.key, label: f.labelZh }))}
              />
            </Form.Item>
            <Form.Item name="showWhenValue" label={t('forms.equals')} tooltip={t('forms.equalsHint')}>
              <Input placeholder="true" />
            </Form.Item>
          </Space>
          <Form.Item name="helpZh" label={t('forms.helpZh')}>
            <Input />
          </Form.Item>
          <Form.Item name="helpEn" label={t('forms.helpEn')}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
