import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { EngineerProfile, FaultCategory, ProductModel, SkillRequirement, User } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { errorText, get, put } from '../../lib/api';
import { ProvinceSelect, provinceName } from '../customers/ProvinceSelect';
import { RecordPage } from '../shared/RecordPage';
import { RemoteSelect } from '../shared/RemoteSelect';
import { PlacePicker, type Point } from './PlacePicker';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
const dateRule = { pattern: /^\d{4}-\d{2}-\d{2}$/, message: 'YYYY-MM-DD' };
const timeRule = { pattern: /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, message: 'HH:MM' };

/** Engineer profiles (skills, certifications, regions, home base, hours, capacity, leave, cost) and skill requirements. */
export default function EngineersPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <RecordPage<EngineerProfile>
        title={t('engineers.title')}
        path="/engineer-profiles"
        resource="engineer"
        testId="engineers-page"
        columns={[
          { title: t('engineers.engineer'), dataIndex: 'displayName' },
          {
            title: t('engineers.skills'),
            render: (_, p) => (
              <Space size={[0, 4]} wrap>
                {p.skills.map((s) => (
                  <Tag key={s}>{s}</Tag>
                ))}
                {p.certifications.map((c) => (
                  <Tag key={`c-${c.tag}`} color="blue">
                    {c.tag}
                    {c.expiresOn ? ` ≤ ${c.expiresOn}` : ''}
                  </Tag>
                ))}
              </Space>
            ),
          },
          { title: t('engineers.regions'), render: (_, p) => p.regionCodes.map(provinceName).join('、') },
          {
            title: t('engineers.homeBase'),
            render: (_, p) =>
              p.homeLat === null || p.homeLng === null ? '—' : `${p.homeLat.toFixed(4)}, ${p.homeLng.toFixed(4)}`,
          },
          {
            title: t('engineers.workingHours'),
            render: (_, p) =>
              p.workingHours.map((w) => `${t(`engineers.weekdays.${w.weekday}`)} ${w.start}–${w.end}`).join('，'),
          },
          {
            title: t('engineers.capacity'),
            render: (_, p) =>
              `${t('dispatch.jobsCount', { count: p.capacityJobs })} / ${t('dispatch.hoursCount', { hours: p.capacityHours })}`,
          },
          { title: t('engineers.active'), dataIndex: 'active', render: (v) => (v ? t('common.yes') : t('common.no')) },
        ]}
        toForm={({ homeLat, homeLng, ...p }) => ({
          ...p,
          homeBase: { lat: homeLat, lng: homeLng },
          costRate: p.costRateFen / 100,
        })}
        fromForm={({ costRate, homeBase, certifications, leave, ...v }) => ({
          ...v,
          // An empty input means "no expiry" / "no note", which the API spells null.
          certifications: (certifications as { tag: string; expiresOn?: string }[] | undefined)?.map((c) => ({
            tag: c.tag,
            expiresOn: c.expiresOn || null,
          })),
          leave: (leave as { from: string; to: string; note?: string }[] | undefined)?.map((l) => ({
            ...l,
            note: l.note || null,
          })),
          // Both or neither: a half-typed pair is no place.
          ...bothOrNeither(homeBase as Point | undefined),
          costRateFen: Math.round(Number(costRate ?? 0) * 100),
        })}
        form={(_form, editing) => (
          <>
            {editing === 'new' && (
              <Form.Item name="userId" label={t('engineers.engineer')} rules={[{ required: true }]}>
                <RemoteSelect<User> path="/users" filters={{ role: 'engineer' }} label={(u) => u.displayName} />
              </Form.Item>
            )}
            <Form.Item name="skills" label={t('engineers.skills')} initialValue={[]}>
              <Select mode="tags" tokenSeparators={[',', '，']} />
            </Form.Item>
            <Typography.Text strong>{t('engineers.certifications')}</Typography.Text>
            <Form.List name="certifications" initialValue={[]}>
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => (
                    <Space key={f.key} align="baseline">
                      <Form.Item name={[f.name, 'tag']} rules={[{ required: true }]}>
                        <Input placeholder={t('engineers.certTag')} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'expiresOn']} rules={[dateRule]}>
                        <Input placeholder={t('engineers.expiresOn')} style={{ width: 130 }} />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(f.name)} />
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ expiresOn: null })} block>
                    {t('engineers.add')}
                  </Button>
                </>
              )}
            </Form.List>
            <Form.Item name="regionCodes" label={t('engineers.regions')} style={{ marginTop: 16 }}>
              <ProvinceSelect mode="multiple" />
            </Form.Item>
            <Form.Item name="homeBase" label={t('engineers.homeBase')}>
              <PlacePicker testId="home-base" />
            </Form.Item>
            <Typography.Text strong>{t('engineers.workingHours')}</Typography.Text>
            <Form.List
              name="workingHours"
              initialValue={[1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:30', end: '17:30' }))}
            >
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => (
                    <Space key={f.key} align="baseline">
                      <Form.Item name={[f.name, 'weekday']} rules={[{ required: true }]}>
                        <Select
                          style={{ width: 90 }}
                          options={WEEKDAYS.map((d) => ({ value: d, label: t(`engineers.weekdays.${d}`) }))}
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'start']} rules={[{ required: true }, timeRule]}>
                        <Input placeholder={t('engineers.start')} style={{ width: 80 }} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'end']} rules={[{ required: true }, timeRule]}>
                        <Input placeholder={t('engineers.end')} style={{ width: 80 }} />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(f.name)} />
                    </Space>
                  ))}
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({ weekday: 6, start: '09:00', end: '17:00' })}
                    block
                  >
                    {t('engineers.add')}
                  </Button>
                </>
              )}
            </Form.List>
            <Space style={{ marginTop: 16 }}>
              <Form.Item name="capacityJobs" label={t('engineers.capacityJobs')} initialValue={5}>
                <InputNumber min={1} max={30} />
              </Form.Item>
              <Form.Item name="capacityHours" label={t('engineers.capacityHours')} initialValue={8}>
                <InputNumber min={0.5} max={24} step={0.5} />
              </Form.Item>
            </Space>
            <Typography.Text strong>{t('engineers.leave')}</Typography.Text>
            <Form.List name="leave" initialValue={[]}>
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => (
                    <Space key={f.key} align="baseline">
                      <Form.Item name={[f.name, 'from']} rules={[{ required: true }, dateRule]}>
                        <Input placeholder={t('engineers.from')} style={{ width: 120 }} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'to']} rules={[{ required: true }, dateRule]}>
                        <Input placeholder={t('engineers.to')} style={{ width: 120 }} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'note']}>
                        <Input placeholder={t('engineers.note')} style={{ width: 100 }} />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(f.name)} />
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ note: null })} block>
                    {t('engineers.add')}
                  </Button>
                </>
              )}
            </Form.List>
            <Form.Item name="costRate" label={t('engineers.costRate')} initialValue={0} style={{ marginTop: 16 }}>
              <InputNumber min={0} step={10} />
            </Form.Item>
            <Form.Item name="active" label={t('engineers.active')} valuePropName="checked" initialValue={true}>
              <Switch />
            </Form.Item>
          </>
        )}
      />
      {can('engineer', 'read') && <SkillRequirements editable={can('engineer', 'update')} />}
    </Space>
  );
}

function bothOrNeither(p: Point | undefined) {
  return typeof p?.lat === 'number' && typeof p?.lng === 'number'
    ? { homeLat: p.lat, homeLng: p.lng }
    : { homeLat: null, homeLng: null };
}

/** Which skills a fault category or product model needs; the scorer and the optimiser read them. */
function SkillRequirements({ editable }: { editable: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm();
  const [kind, setKind] = useState<'category' | 'model'>('category');
  const requirements = useQuery({
    queryKey: ['/skill-requirements'],
    queryFn: () => get<SkillRequirement[]>('/skill-requirements'),
  });
  const categories = useQuery({
    queryKey: ['/fault-categories'],
    queryFn: () => get<FaultCategory[]>('/fault-categories'),
  });
  const models = useQuery({
    queryKey: ['/product-models', 'all'],
    queryFn: () => get<{ items: ProductModel[] }>('/product-models?pageSize=200'),
  });
  const nameOf = (r: SkillRequirement) => {
    if (r.subjectKind === 'model') return models.data?.items.find((m) => m.id === r.subjectId)?.name ?? r.subjectId;
    const c = categories.data?.find((x) => x.id === r.subjectId);
    return c ? (i18n.language === 'en-US' ? c.nameEn : c.nameZh) : r.subjectId;
  };
  const save = async () => {
    const values = await form.validateFields();
    try {
      await put('/skill-requirements', { subjectKind: kind, ...values });
      message.success(t('common.saved'));
      void client.invalidateQueries({ queryKey: ['/skill-requirements'] });
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Card title={t('engineers.requirements.title')} size="small">
      <Typography.Paragraph type="secondary">{t('engineers.requirements.hint')}</Typography.Paragraph>
      {editable && (
        <Form form={form} layout="inline" style={{ marginBottom: 12 }}>
          <Form.Item label={t('engineers.requirements.kind')}>
            <Select
              value={kind}
              onChange={(v) => {
                setKind(v);
                form.resetFields(['subjectId']);
              }}
              style={{ width: 130 }}
              options={[
                { value: 'category', label: t('engineers.requirements.category') },
                { value: 'model', label: t('engineers.requirements.model') },
              ]}
            />
          </Form.Item>
          <Form.Item name="subjectId" rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              style={{ width: 220 }}
              placeholder={t('engineers.requirements.subject')}
              options={
                kind === 'category'
                  ? (categories.data ?? []).map((c) => ({
                      value: c.id,
                      label: i18n.language === 'en-US' ? c.nameEn : c.nameZh,
                    }))
                  : (models.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.code} ${m.name}` }))
              }
            />
          </Form.Item>
          <Form.Item name="skills" initialValue={[]}>
            <Select mode="tags" style={{ width: 260 }} placeholder={t('engineers.requirements.skills')} />
          </Form.Item>
          <Button type="primary" onClick={save}>
            {t('engineers.requirements.set')}
          </Button>
        </Form>
      )}
      <Table<SkillRequirement>
        size="small"
        rowKey={(r) => `${r.subjectKind}:${r.subjectId}`}
        dataSource={requirements.data}
        pagination={false}
        columns={[
          {
            title: t('engineers.requirements.kind'),
            dataIndex: 'subjectKind',
            render: (v: string) => t(`engineers.requirements.${v}`),
          },
          { title: t('engineers.requirements.subject'), render: (_, r) => nameOf(r) },
          {
            title: t('engineers.requirements.skills'),
            render: (_, r) => r.skills.map((s) => <Tag key={s}>{s}</Tag>),
          },
        ]}
      />
    </Card>
  );
}
