/**
 * search — the header's global search (Ctrl+K): one query across tickets, customers, contacts
 * and devices, each group limited by the caller's own read grant on that resource (the identity
 * policy's data scope), so search never shows a row its list page would hide. Names are also
 * found by pinyin and initials (pinyin.ts). Owns no tables: it reads through other modules' faces.
 */
import type { HttpModule } from '../../platform/http/app';
import type { Platform } from '../../platform/index';
import type { Access } from '../identity/index';
import type { TicketService } from '../tickets/index';
import { searchRoutes } from './routes';

export function createSearchModule(platform: Platform, access: Access, tickets: TicketService): { http: HttpModule } {
  return { http: { name: 'search', routes: searchRoutes(platform, access, tickets) } };
}
