import { EnvironmentOutlined } from '@ant-design/icons';
import type { MapTiles, Place } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, AutoComplete, Button, Collapse, Input, InputNumber, Space, Tag, Typography } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../lib/api';

// Leaflet and its stylesheet load only when a picker opens: the console's first load stays as it was.
const PinMap = lazy(() => import('./PinMap'));

export interface Point {
  lat: number | null;
  lng: number | null;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;
const placed = (p?: Point | null): p is { lat: number; lng: number } =>
  typeof p?.lat === 'number' && typeof p?.lng === 'number';

/**
 * A point picked the way a dispatcher thinks of it: by address or place name (searched offline on
 * the server: divisions, customer sites, warehouses), then refined by dragging the pin on a map when
 * map tiles can be reached. Without tiles it never shows a broken panel: the search, the numbers
 * read-only, and the numbers editable under "advanced". Coordinates are GCJ-02, like the tiles.
 */
export function PlacePicker({
  value,
  onChange,
  testId = 'place-picker',
}: {
  value?: Point | null;
  onChange?: (next: Point) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [note, setNote] = useState<Place['precision'] | 'dragged' | null>(null);
  const [tilesFailed, setTilesFailed] = useState(false);

  // Wait for a pause in typing before asking.
  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);

  const tiles = useQuery({
    queryKey: ['/places/map-tiles'],
    queryFn: () => get<MapTiles>('/places/map-tiles'),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const places = useQuery({
    queryKey: ['/places', query],
    queryFn: () => get<Place[]>(`/places?q=${encodeURIComponent(query)}`),
    enabled: query.length > 0,
  });

  const set = (lat: number, lng: number, why: typeof note) => {
    setNote(why);
    onChange?.({ lat: round(lat), lng: round(lng) });
  };
  const options = (places.data ?? []).map((p, i) => ({
    value: String(i),
    label: (
      <Space size={4} data-testid="place-option" style={{ whiteSpace: 'normal' }}>
        <Tag color={p.kind === 'division' ? 'default' : p.kind === 'site' ? 'blue' : 'gold'}>
          {t(`places.kind.${p.kind}`)}
        </Tag>
        <span>
          <Typography.Text strong>{p.name}</Typography.Text>{' '}
          <Typography.Text type="secondary">{p.detail}</Typography.Text>
        </span>
      </Space>
    ),
  }));

  const showMap = !!tiles.data?.url && !tilesFailed;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid={testId}>
      <AutoComplete
        value={text}
        options={options}
        onChange={setText}
        onSelect={(index: string) => {
          const p = places.data?.[Number(index)];
          if (!p) return;
          setText(p.kind === 'division' ? p.detail : `${p.name} ${p.detail}`);
          set(p.lat, p.lng, p.precision);
          // The text just changed to the place's full name: don't reopen the list with it.
          (document.activeElement as HTMLElement | null)?.blur();
        }}
        style={{ width: '100%' }}
      >
        <Input
          prefix={<EnvironmentOutlined />}
          placeholder={t('places.searchPlaceholder')}
          allowClear
          data-testid="place-search"
        />
      </AutoComplete>
      {query && places.data?.length === 0 && <Typography.Text type="secondary">{t('places.noMatch')}</Typography.Text>}
      {note && note !== 'exact' && (
        <Typography.Text type="secondary" data-testid="place-precision">
          {t(`places.precision.${note}`)}
        </Typography.Text>
      )}
      {showMap && (
        <Suspense fallback={<div style={{ height: 240 }} />}>
          <PinMap
            tiles={tiles.data!}
            point={placed(value) ? value : null}
            onMove={(lat, lng) => set(lat, lng, 'dragged')}
            onTilesFailed={() => setTilesFailed(true)}
          />
        </Suspense>
      )}
      {tiles.data && !showMap && (
        <Alert type="info" showIcon data-testid="map-offline" message={t('places.mapOffline')} />
      )}
      <Space wrap data-testid="place-coordinates">
        {placed(value) ? (
          <Typography.Text>
            {t('places.coordinates', { lat: value.lat.toFixed(5), lng: value.lng.toFixed(5) })}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">{t('places.notSet')}</Typography.Text>
        )}
        {placed(value) && (
          <Button
            size="small"
            type="link"
            onClick={() => {
              setNote(null);
              setText('');
              onChange?.({ lat: null, lng: null });
            }}
          >
            {t('places.clear')}
          </Button>
        )}
      </Space>
      <Collapse
        size="small"
        ghost
        items={[
          {
            key: 'advanced',
            label: t('places.advanced'),
            children: (
              <Space wrap>
                <InputNumber
                  aria-label={t('places.lat')}
                  placeholder={t('places.lat')}
                  min={-90}
                  max={90}
                  step={0.0001}
                  value={value?.lat ?? null}
                  onChange={(lat) => onChange?.({ lat: lat ?? null, lng: value?.lng ?? null })}
                />
                <InputNumber
                  aria-label={t('places.lng')}
                  placeholder={t('places.lng')}
                  min={-180}
                  max={180}
                  step={0.0001}
                  value={value?.lng ?? null}
                  onChange={(lng) => onChange?.({ lat: value?.lat ?? null, lng: lng ?? null })}
                />
                <Typography.Text type="secondary">{t('places.gcj02')}</Typography.Text>
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}
