import type { Page } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Select, type SelectProps } from 'antd';
import { useState } from 'react';
import { get, query } from '../../lib/api';

/** Picks a record by searching the list endpoint as the user types. */
export function RemoteSelect<T extends { id: string }>({
  path,
  label,
  filters = {},
  onSelectRow,
  ...props
}: {
  path: string;
  label: (row: T) => string;
  filters?: Record<string, unknown>;
  /** The whole record behind the chosen option (null when cleared), e.g. to fill other fields from it. */
  onSelectRow?: (row: T | null) => void;
} & SelectProps) {
  const [q, setQ] = useState('');
  const { data, isFetching } = useQuery({
    queryKey: [path, 'options', q, filters],
    queryFn: () => get<Page<T>>(`${path}${query({ q: q || undefined, pageSize: 50, ...filters })}`),
  });
  return (
    <Select
      showSearch
      allowClear
      filterOption={false}
      onSearch={setQ}
      loading={isFetching}
      options={(data?.items ?? []).map((row) => ({ value: row.id, label: label(row) }))}
      {...props}
      onChange={(value, option) => {
        onSelectRow?.(data?.items.find((row) => row.id === value) ?? null);
        props.onChange?.(value, option);
      }}
    />
  );
}
