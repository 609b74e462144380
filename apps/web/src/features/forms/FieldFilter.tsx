import type { FieldDefinition, FieldKind } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Input, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../lib/api';
import { ReferenceInput } from './FieldInputs';

/** Kinds whose stored value is one plain value the list can match (`fields ->> key = value`). */
const FILTERABLE = new Set<FieldKind>(['text', 'number', 'money', 'date', 'select', 'checkbox', 'reference']);

/**
 * Filters the ticket list by one custom field: pick the field, then its value — from its choices,
 * by searching the referenced customer/device/part, or typed. Hands back the `key=value` the API takes.
 */
export function FieldFilter({ value, onChange }: { value?: string; onChange: (condition?: string) => void }) {
  const { t, i18n } = useTranslation();
  const definitions = useQuery({
    queryKey: ['forms', 'repair'],
    queryFn: () => get<FieldDefinition[]>('/forms/fields?ticketType=repair'),
  });
  const [key, setKey] = useState(value?.split('=')[0]);
  const current = value?.slice(value.indexOf('=') + 1);
  const field = definitions.data?.find((d) => d.key === key);
  const set = (v: string | undefined) => onChange(key && v ? `${key}=${v}` : undefined);
  const label = (d: FieldDefinition) => (i18n.language === 'en-US' ? d.labelEn : d.labelZh);
  return (
    <Space.Compact>
      <Select
        allowClear
        placeholder={t('forms.filterField')}
        style={{ width: 150 }}
        value={key}
        onChange={(k) => {
          setKey(k);
          onChange(undefined);
        }}
        options={(definitions.data ?? [])
          .filter((d) => FILTERABLE.has(d.kind))
          .map((d) => ({ value: d.key, label: label(d) }))}
      />
      {field?.kind === 'reference' && field.reference ? (
        <ReferenceInput target={field.reference} value={current} onChange={set} style={{ width: 240 }} />
      ) : field?.kind === 'select' || field?.kind === 'checkbox' ? (
        <Select
          allowClear
          style={{ width: 160 }}
          value={current}
          onChange={set}
          options={
            field.kind === 'checkbox'
              ? [
                  { value: 'true', label: '✓' },
                  { value: 'false', label: '✗' },
                ]
              : field.choices.map((c) => ({ value: c.value, label: i18n.language === 'en-US' ? c.labelEn : c.labelZh }))
          }
        />
      ) : field ? (
        <Input.Search style={{ width: 160 }} defaultValue={current} allowClear onSearch={(v) => set(v.trim())} />
      ) : null}
    </Space.Compact>
  );
}
