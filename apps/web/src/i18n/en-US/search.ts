import type { Strings } from '../zh-CN';
import type { search as zh } from '../zh-CN/search';

/** English: global search. */
export const search: Strings<typeof zh> = {
  search: {
    open: 'Search',
    title: 'Search everything',
    hint: 'Ticket number, customer, contact phone, serial, asset code; names also by pinyin or initials',
    none: 'Nothing matches',
    groups: { tickets: 'Tickets', customers: 'Customers', contacts: 'Contacts', devices: 'Devices' },
    matched: { pinyin: 'Pinyin', initials: 'Initials' },
  },
};
