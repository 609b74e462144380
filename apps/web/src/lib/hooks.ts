import type { Page } from '@serviceloop/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { get, query } from './api';

/** A server-paged, searchable list: what every table page needs. */
export function usePagedList<T>(path: string, filters: Record<string, unknown> = {}) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [q, setQ] = useState('');
  const params = { page, pageSize, q: q || undefined, ...filters };
  const result = useQuery({
    queryKey: [path, params],
    queryFn: () => get<Page<T>>(`${path}${query(params)}`),
    placeholderData: keepPreviousData,
  });
  return {
    ...result,
    search: (text: string) => {
      setQ(text);
      setPage(1);
    },
    pagination: {
      current: page,
      pageSize,
      total: result.data?.total ?? 0,
      showSizeChanger: true,
      onChange: (p: number, size: number) => {
        setPage(size === pageSize ? p : 1);
        setPageSize(size);
      },
    },
  };
}
