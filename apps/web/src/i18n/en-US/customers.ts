import type { Strings } from '../zh-CN';
import type { customers as zh } from '../zh-CN/customers';

/** English: customers, their contacts and sites. */
export const customers: Strings<typeof zh> = {
  customers: {
    name: 'Customer name',
    creditCode: 'Unified social credit code',
    tier: 'Tier',
    region: 'Province',
    industry: 'Industry',
    tiers: { vip: 'VIP', standard: 'Standard' },
    industries: {
      machine_tools: 'Machine tools / robots',
      elevator: 'Elevator maintenance',
      consumer_electronics: 'Consumer electronics',
      other: 'Other',
    },
    overview: 'Customer 360°',
    contacts: 'Contacts',
    sites: 'Sites',
    history: 'History',
    tickets: 'Tickets',
    ticketsLater: "This customer's tickets appear here once the tickets module is live.",
  },
  contacts: { name: 'Name', mobile: 'Mobile', email: 'Email', title: 'Title' },
  sites: {
    name: 'Site name',
    division: 'Province / city / district',
    address: 'Address',
    location: 'Location on the map',
  },
};
