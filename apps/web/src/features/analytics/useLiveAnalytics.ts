import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

/**
 * Keeps the analytics queries fresh: the server announces ticket changes over server-sent events
 * and every `analytics` query refetches. The browser's EventSource reconnects by itself.
 */
export function useLiveAnalytics(): boolean {
  const client = useQueryClient();
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = new EventSource('/api/v1/analytics/stream');
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener('change', () => void client.invalidateQueries({ queryKey: ['analytics'] }));
    return () => source.close();
  }, [client]);
  return connected;
}
