import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { FieldCommand, FieldJobDetail } from '@serviceloop/contracts';
import { Button, Card, Checkbox, Form, Input, InputNumber, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { here } from '../lib/geolocation';
import { RequestPartsButton } from './RequestPartsButton';

interface Values {
  diagnosis?: string;
  rootCause: string;
  actionsTaken: string;
  labourMinutes: number;
  parts?: { sku: string; quantity: number }[];
  checklist?: string[];
}

const CHECKS = ['functionalTest', 'stressTest', 'relatedPartsCheck'] as const;

/**
 * The work record of the visit: diagnosis, root cause, actions, parts used from the van, the
 * verification checklist. Submitting checks out (if still on site) and resolves, as two queued steps.
 */
export function ResolutionForm({
  detail,
  visitOpen,
  onSubmit,
}: {
  detail: FieldJobDetail;
  visitOpen: boolean;
  onSubmit: (commands: FieldCommand[]) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const van = detail.van.parts;

  const submit = async (v: Values) => {
    const checklist = Object.fromEntries(CHECKS.map((c) => [c, (v.checklist ?? []).includes(c)])) as Record<
      (typeof CHECKS)[number],
      boolean
    >;
    const partsUsed = (v.parts ?? [])
      .filter((p) => p?.sku)
      .map((p) => ({ sku: p.sku, name: van.find((x) => x.sku === p.sku)?.name ?? p.sku, quantity: p.quantity }));
    const commands: FieldCommand[] = [];
    if (visitOpen)
      commands.push({
        action: 'check_out',
        visitId: detail.job.visitId,
        location: await here(),
        at: new Date().toISOString(),
      });
    commands.push({
      action: 'resolve',
      diagnosis: v.diagnosis?.trim() || null,
      rootCause: v.rootCause.trim(),
      actionsTaken: v.actionsTaken.trim(),
      labourMinutes: v.labourMinutes,
      travelMinutes: 0,
      partsUsed,
      checklist,
    });
    await onSubmit(commands);
  };

  return (
    <Card size="small" title={t('field.sections.resolution')} data-testid="field-resolution">
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ labourMinutes: 60 }}>
        <Form.Item name="diagnosis" label={t('field.resolution.diagnosis')}>
          <Input.TextArea rows={2} data-testid="res-diagnosis" />
        </Form.Item>
        <Form.Item
          name="rootCause"
          label={t('field.resolution.rootCause')}
          rules={[{ required: true, min: 2, message: t('field.resolution.required') }]}
        >
          <Input.TextArea rows={2} data-testid="res-root-cause" />
        </Form.Item>
        <Form.Item
          name="actionsTaken"
          label={t('field.resolution.actionsTaken')}
          rules={[{ required: true, min: 2, message: t('field.resolution.required') }]}
        >
          <Input.TextArea rows={3} data-testid="res-actions" />
        </Form.Item>
        <Form.Item name="labourMinutes" label={t('field.resolution.labourMinutes')} rules={[{ required: true }]}>
          <InputNumber min={0} max={100000} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label={t('field.resolution.partsUsed')}>
          <Form.List name="parts">
            {(fields, { add, remove }) => (
              <Space direction="vertical" style={{ width: '100%' }}>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline" style={{ width: '100%' }}>
                    <Form.Item name={[f.name, 'sku']} rules={[{ required: true }]} noStyle>
                      <Select
                        style={{ minWidth: 200 }}
                        data-testid="res-part"
                        placeholder={t('field.resolution.vanPart')}
                        options={van.map((p) => ({
                          value: p.sku,
                          label: `${p.sku} ${p.name}（${t('field.van.available', { count: p.available })}）`,
                        }))}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'quantity']} initialValue={1} rules={[{ required: true }]} noStyle>
                      <InputNumber min={1} max={10000} data-testid="res-part-qty" />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Space wrap>
                  <Button
                    icon={<PlusOutlined />}
                    onClick={() => add({ quantity: 1 })}
                    disabled={van.length === 0}
                    data-testid="res-add-part"
                  >
                    {van.length ? t('field.resolution.addPart') : t('field.van.empty')}
                  </Button>
                  <RequestPartsButton detail={detail} />
                </Space>
              </Space>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item name="checklist" label={t('field.resolution.checklist')}>
          <Checkbox.Group
            data-testid="res-checklist"
            options={CHECKS.map((c) => ({ value: c, label: t(`field.resolution.checks.${c}`) }))}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" block data-testid="res-submit">
          {visitOpen ? t('field.resolution.submitAndCheckOut') : t('field.resolution.submit')}
        </Button>
      </Form>
    </Card>
  );
}
