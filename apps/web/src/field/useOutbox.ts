import { useEffect, useSyncExternalStore } from 'react';
import { outbox } from './outbox';

/** The outbox as React state: queued operations and photos, conflicts, whether it is syncing. */
export function useOutbox() {
  useEffect(() => {
    void outbox.load();
  }, []);
  return useSyncExternalStore(outbox.subscribe, outbox.snapshot);
}
