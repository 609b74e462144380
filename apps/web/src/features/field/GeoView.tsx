import { UploadOutlined } from '@ant-design/icons';
import type { DispatchBoard, GeoMap } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Popconfirm, Select, Space, Typography, Upload } from 'antd';
import { ScatterChart } from 'echarts/charts';
import { GeoComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, errorText, get, post } from '../../lib/api';
import { EChart } from '../analytics/EChart';
import { provinceName } from '../customers/ProvinceSelect';
import { useAuth } from '../identity/auth';

echarts.use([ScatterChart, GeoComponent]);

/**
 * Jobs and engineers on a map. No internet tiles and no shipped boundaries: with an uploaded
 * GeoJSON the points sit on it; without one, a plain longitude/latitude scatter and counts per province.
 */
export function GeoView({ board }: { board: DispatchBoard }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const client = useQueryClient();
  const maps = useQuery({ queryKey: ['/geo-maps'], queryFn: () => get<GeoMap[]>('/geo-maps') });
  const [chosen, setChosen] = useState<string>();
  const mapId = chosen ?? maps.data?.[0]?.id;
  const geojson = useQuery({
    queryKey: ['/geo-maps', mapId],
    queryFn: async () => {
      const data = await get<object>(`/geo-maps/${mapId}`);
      echarts.registerMap(`sl-${mapId}`, data as never);
      return data;
    },
    enabled: !!mapId,
    staleTime: Number.POSITIVE_INFINITY,
  });

  const located = board.unassigned.filter((j) => j.lat !== null && j.lng !== null);
  const engineers = board.engineers.filter((e) => e.lat !== null && e.lng !== null);
  const series = useMemo(
    () => [
      {
        name: t('dispatch.geo.jobs'),
        type: 'scatter',
        symbolSize: 12,
        itemStyle: { color: '#fa541c' },
        data: located.map((j) => ({ name: `${j.ticketNumber} ${j.title}`, value: [j.lng, j.lat] })),
      },
      {
        name: t('dispatch.geo.engineers'),
        type: 'scatter',
        symbol: 'triangle',
        symbolSize: 14,
        itemStyle: { color: '#1677ff' },
        data: engineers.map((e) => ({ name: e.displayName, value: [e.lng, e.lat] })),
      },
    ],
    [located, engineers, t],
  );

  const onMap = !!mapId && geojson.isSuccess;
  const scatter = onMap
    ? {
        tooltip: { trigger: 'item', formatter: (p: { name: string }) => p.name },
        legend: {},
        geo: { map: `sl-${mapId}`, roam: true, itemStyle: { areaColor: '#f5f5f5', borderColor: '#999' } },
        series: series.map((s) => ({ ...s, coordinateSystem: 'geo' })),
      }
    : {
        tooltip: { trigger: 'item', formatter: (p: { name: string }) => p.name },
        legend: {},
        xAxis: { type: 'value', scale: true, name: t('dispatch.geo.lng') },
        yAxis: { type: 'value', scale: true, name: t('dispatch.geo.lat') },
        series,
      };

  const provinces = [
    ...new Set([
      ...board.unassigned.map((j) => j.regionCode).filter((c): c is string => !!c),
      ...board.engineers.flatMap((e) => e.regionCodes),
    ]),
  ].sort();
  const byProvince = {
    tooltip: { trigger: 'axis' },
    legend: {},
    grid: { left: 40, right: 20, bottom: 60 },
    xAxis: { type: 'category', data: provinces.map(provinceName), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: t('dispatch.geo.jobs'),
        type: 'bar',
        data: provinces.map((p) => board.unassigned.filter((j) => j.regionCode === p).length),
      },
      {
        name: t('dispatch.geo.engineers'),
        type: 'bar',
        data: provinces.map((p) => board.engineers.filter((e) => e.regionCodes.includes(p)).length),
      },
    ],
  };

  const upload = async (file: File) => {
    try {
      const geojson = JSON.parse(await file.text());
      await post('/geo-maps', { name: file.name.replace(/\.(geo)?json$/i, ''), geojson });
      message.success(t('dispatch.geo.uploaded'));
      void client.invalidateQueries({ queryKey: ['/geo-maps'] });
    } catch (e) {
      message.error(e instanceof SyntaxError ? t('dispatch.geo.invalidFile') : errorText(e));
    }
    return false;
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="geo-view">
      <Space wrap>
        {(maps.data?.length ?? 0) > 0 && (
          <Select
            value={mapId}
            onChange={setChosen}
            style={{ width: 200 }}
            options={maps.data!.map((m) => ({ value: m.id, label: m.name }))}
          />
        )}
        {can('settings', 'update') && (
          <Upload accept=".json,.geojson" showUploadList={false} beforeUpload={upload}>
            <Button icon={<UploadOutlined />}>{t('dispatch.geo.upload')}</Button>
          </Upload>
        )}
        {can('settings', 'update') && mapId && (
          <Popconfirm
            title={t('common.confirmDelete')}
            onConfirm={async () => {
              await del(`/geo-maps/${mapId}`);
              setChosen(undefined);
              void client.invalidateQueries({ queryKey: ['/geo-maps'] });
            }}
          >
            <Button danger>{t('common.delete')}</Button>
          </Popconfirm>
        )}
      </Space>
      {!mapId && <Alert type="info" message={t('dispatch.geo.noMap')} />}
      {board.unassigned.length > located.length && (
        <Typography.Text type="secondary">
          {t('dispatch.geo.noCoordinates', { count: board.unassigned.length - located.length })}
        </Typography.Text>
      )}
      <EChart option={scatter} height={460} />
      <Typography.Title level={5}>{t('dispatch.geo.byProvince')}</Typography.Title>
      <EChart option={byProvince} height={300} />
    </Space>
  );
}
