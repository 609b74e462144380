import { AimOutlined, UploadOutlined } from '@ant-design/icons';
import type { FieldDefinition, ReferenceTarget } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Input, InputNumber, Space, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, uploadHeaders } from '../../lib/api';
import { RemoteSelect } from '../shared/RemoteSelect';
import { SignaturePad } from '../tickets/SignaturePad';

/**
 * Inputs for the custom field kinds that are more than a text box. Each takes `value` and
 * `onChange` from Form.Item and hands back exactly the value the shared check expects.
 */

interface Control<T> {
  value?: T;
  onChange?: (value: T | undefined) => void;
}

/**
 * Files go up while the form is open (`POST /attachments`, kept for the uploader until the
 * report names them); the value is their ids.
 */
export function AttachmentInput({ value, onChange, max }: Control<string[]> & { max: number }) {
  const { t } = useTranslation();
  const [files, setFiles] = useState<UploadFile[]>([]);
  return (
    <Upload
      action="/api/v1/attachments"
      headers={uploadHeaders()}
      withCredentials
      maxCount={max}
      fileList={files}
      onChange={({ fileList }) => {
        setFiles(fileList);
        const ids = fileList.filter((f) => f.status === 'done').map((f) => (f.response as { id: string }).id);
        if (ids.join() !== (value ?? []).join()) onChange?.(ids.length > 0 ? ids : undefined);
      }}
    >
      <Button icon={<UploadOutlined />} disabled={files.length >= max}>
        {t('forms.upload')}
      </Button>
    </Upload>
  );
}

type Location = { lat: number; lng: number; address?: string };

/** Latitude, longitude and an optional address; the button asks the browser where it is. */
export function LocationInput({ value, onChange }: Control<Location>) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [locating, setLocating] = useState(false);
  const change = (patch: Partial<Location>) => {
    const next = { ...value, ...patch } as Partial<Location>;
    const empty = next.lat == null && next.lng == null && !next.address;
    onChange?.(empty ? undefined : ({ ...next, address: next.address || undefined } as Location));
  };
  const locate = () => {
    if (!navigator.geolocation) return void message.error(t('forms.noGeolocation'));
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLocating(false);
        change({ lat: Number(p.coords.latitude.toFixed(6)), lng: Number(p.coords.longitude.toFixed(6)) });
      },
      () => {
        setLocating(false);
        message.error(t('forms.noGeolocation'));
      },
      { timeout: 10_000 },
    );
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space.Compact style={{ width: '100%' }}>
        <InputNumber
          placeholder={t('forms.lat')}
          min={-90}
          max={90}
          value={value?.lat}
          onChange={(lat) => change({ lat: lat ?? undefined })}
          style={{ width: '40%' }}
        />
        <InputNumber
          placeholder={t('forms.lng')}
          min={-180}
          max={180}
          value={value?.lng}
          onChange={(lng) => change({ lng: lng ?? undefined })}
          style={{ width: '40%' }}
        />
        <Button icon={<AimOutlined />} loading={locating} onClick={locate} title={t('forms.locate')} />
      </Space.Compact>
      <Input
        placeholder={t('forms.address')}
        maxLength={200}
        value={value?.address}
        onChange={(e) => change({ address: e.target.value })}
      />
    </Space>
  );
}

export function SignatureInput({ onChange }: Control<string>) {
  return <SignaturePad onChange={(png) => onChange?.(png)} />;
}

/** Where to search each kind of record, and how to name one. */
const SOURCES: Record<ReferenceTarget, { path: string; label: (r: Record<string, string>, lang: string) => string }> = {
  customer: { path: '/customers', label: (r) => r.name ?? r.id! },
  device: { path: '/devices', label: (r) => `${r.serialNumber} · ${r.modelName} · ${r.customerName}` },
  part: { path: '/parts', label: (r, lang) => `${r.sku} · ${(lang === 'en-US' && r.nameEn) || r.nameZh}` },
};

/** A searchable select over customers, devices or parts; the value is the chosen record's id. */
export function ReferenceInput({
  target,
  style = { width: '100%' },
  ...control
}: Control<string> & { target: ReferenceTarget; style?: React.CSSProperties }) {
  const { i18n } = useTranslation();
  const source = SOURCES[target];
  const chosen = useReferenceLabel(target, control.value);
  return (
    <RemoteSelect<Record<string, string> & { id: string }>
      path={source.path}
      label={(r) => source.label(r, i18n.language)}
      // A chosen record outside the current search still shows its name, not its id.
      labelRender={({ value, label }) => (value === control.value && !label ? chosen : label)}
      style={style}
      {...control}
    />
  );
}

/** The name of a referenced record (its id while loading or when it is gone). */
export function useReferenceLabel(target: ReferenceTarget | null | undefined, id: string | undefined) {
  const { i18n } = useTranslation();
  const found = useQuery({
    queryKey: ['reference', target, 'one', id],
    enabled: !!target && !!id,
    retry: false,
    queryFn: () => get<Record<string, string>>(`${SOURCES[target!].path}/${id}`),
  });
  return target && found.data ? SOURCES[target].label(found.data, i18n.language) : id;
}

/**
 * A stored value as the ticket page shows it. It reads the value by its shape as much as by the
 * field's current kind: a field changed or retired since the ticket was made must still show.
 */
export function FieldValue({ field, value }: { field?: FieldDefinition; value: unknown }) {
  const { t } = useTranslation();
  const reference = useReferenceLabel(
    field?.kind === 'reference' ? field.reference : null,
    typeof value === 'string' ? value : undefined,
  );
  if (field?.kind === 'reference') return <>{reference}</>;
  if (typeof value === 'string' && value.startsWith('data:image/png;base64,'))
    return <img src={value} alt={t('forms.kinds.signature')} style={{ maxHeight: 64, background: '#fff' }} />;
  if (field?.kind === 'attachment' && Array.isArray(value))
    return (
      <Space wrap>
        {value.map((id, i) => (
          <a key={String(id)} href={`/api/v1/attachments/${id}/content`} target="_blank" rel="noreferrer">
            {t('forms.file', { n: i + 1 })}
          </a>
        ))}
      </Space>
    );
  if (Array.isArray(value)) return <>{value.join(' / ')}</>;
  if (typeof value === 'boolean') return <>{value ? '✓' : '✗'}</>;
  if (value && typeof value === 'object') {
    const { lat, lng, address } = value as Partial<Location>;
    if (typeof lat === 'number' && typeof lng === 'number')
      return <>{[address, `${lat.toFixed(5)}, ${lng.toFixed(5)}`].filter(Boolean).join(' · ')}</>;
    return <>{JSON.stringify(value)}</>;
  }
  return <>{String(value)}</>;
}
