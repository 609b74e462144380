import { Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { ApiError } from './api';

/**
 * What a page shows while its main query isn't ready: a spinner, or the error (404 as "not found").
 * Returns null once there is data to render.
 */
export function queryState(query: { isLoading: boolean; error: unknown }): ReactNode | null {
  if (query.isLoading) return <Spin />;
  if (query.error) {
    const error = query.error;
    return (
      <Result
        status={error instanceof ApiError && error.status === 404 ? '404' : 'error'}
        title={(error as Error).message}
      />
    );
  }
  return null;
}
