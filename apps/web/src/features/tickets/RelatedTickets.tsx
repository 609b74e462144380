import type { Ticket } from '@serviceloop/contracts';
import { usePagedList } from '../../lib/hooks';
import { TicketTable } from './TicketTable';

/** The tickets of one customer or device, newest first, on its 360° page. */
export function RelatedTickets({ filter }: { filter: { customerId?: string; deviceId?: string } }) {
  const list = usePagedList<Ticket>('/tickets', filter);
  return <TicketTable loading={list.isFetching} dataSource={list.data?.items} pagination={list.pagination} />;
}
