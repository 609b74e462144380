import { describe, expect, it } from 'vitest';
import { type BoundaryReport, type Finding, migratedTables, scan, summary, tableOwner, tablePairs } from './boundaries';

/**
 * The module boundaries of docs/architecture.md ("Module faces"), checked on the source text:
 * a module reaches another only through its index.ts, which hands out named reads and commands,
 * never drizzle tables; the platform imports no module; the web imports no server code. Raw SQL
 * over another module's tables is allowed only in the read facades listed below.
 * Module tests are not checked: their fixtures set up rows of several modules on purpose.
 */

/**
 * Files whose raw SQL may read other modules' tables, with the owners they may read and why.
 * Every entry must still be needed (a stale entry fails), so the list only shrinks by itself.
 */
const RAW_SQL_FACADES: Record<string, { owners: string[]; why: string }> = {
  // Analytics: projections and reports over the whole loop, rebuilt from the owners' rows.
  'apps/server/src/modules/analytics/facts.ts': {
    owners: ['assets', 'customers', 'surveys', 'tickets'],
    why: "one statement derives a ticket's fact row from the ticket and its joins (the analytics read facade)",
  },
  'apps/server/src/modules/analytics/kpis.ts': {
    owners: ['tickets'],
    why: 'KPI queries join the facts to live ticket state',
  },
  'apps/server/src/modules/analytics/reports.ts': {
    owners: ['assets', 'customers', 'identity', 'tickets'],
    why: "report builder labels its groups by the owners' names in one query",
  },
  'apps/server/src/modules/analytics/business-time.ts': {
    owners: ['sla', 'tickets'],
    why: 'business-hours KPIs read calendars and closed tickets in bulk',
  },
  'apps/server/src/modules/analytics/spikes.ts': {
    owners: ['assets'],
    why: 'fault spikes are labelled by product model',
  },
  'apps/server/src/modules/analytics/trends.ts': { owners: ['identity'], why: 'trend series are labelled by engineer' },
  // Planning: dispatch and the engineer's day read the whole picture in one statement each.
  'apps/server/src/modules/field/facts.ts': {
    owners: ['customers', 'identity', 'parts', 'tickets'],
    why: 'the planning read facade: tickets, sites, engineers, visits and van stock for the planners',
  },
  'apps/server/src/modules/field/jobs.ts': {
    owners: ['assets', 'customers', 'identity', 'parts', 'tickets'],
    why: "the engineer app's job list is one read model over ticket, site, model and van stock",
  },
  'apps/server/src/modules/automation/assignment.ts': {
    owners: ['field', 'identity', 'tickets'],
    why: 'assignment scoring ranks engineers by open load and skills in one statement (planning)',
  },
  'apps/server/src/modules/automation/facts.ts': {
    owners: ['assets', 'customers', 'forms', 'tickets'],
    why: 'rule conditions are evaluated on one facts row loaded in one statement (bench:automation)',
  },
  // Configuration export and bulk import: natural keys and batches across the owners' tables.
  'apps/server/src/modules/automation/config.ts': {
    owners: ['assets', 'customers', 'identity', 'notifications', 'parts', 'tickets'],
    why: 'rules name their targets by natural key in exported configuration; ids ↔ keys for every kind',
  },
  'apps/server/src/modules/integrations/lookups.ts': {
    owners: ['assets', 'customers', 'identity', 'parts', 'tickets'],
    why: "the import checks a file's distinct keys with one query per kind (bench:import)",
  },
  'apps/server/src/modules/integrations/write.ts': {
    owners: ['assets', 'customers', 'parts', 'tickets'],
    why: "the import writes 5,000-row batches straight into the owners' tables (bench:import)",
  },
  'apps/server/src/modules/integrations/dictionary.ts': {
    owners: ['tickets'],
    why: 'the data dictionary lists the fault taxonomy with its synonyms',
  },
  'apps/server/src/modules/integrations/service.ts': {
    owners: ['tickets'],
    why: 'the import saves the synonyms the user mapped, in its own transaction',
  },
  // Modules below tickets in the stack, which cannot call its face without inverting the order.
  'apps/server/src/modules/forms/index.ts': {
    owners: ['tickets'],
    why: 'attachment fields check their uploads; forms sit below tickets',
  },
  'apps/server/src/modules/workflows/store.ts': {
    owners: ['tickets'],
    why: 'the version list counts the tickets on each version; workflows sit below tickets',
  },
  'apps/server/src/modules/tickets/reports.ts': {
    owners: ['workflows'],
    why: 'the create statement reads the active workflow in its one round trip',
  },
  'apps/server/src/modules/tickets/queries.ts': {
    owners: ['portal'],
    why: "a guard asks whether the ticket's quote was approved; portal sits above tickets",
  },
  // Configuration export: one join names a row's references by their natural keys.
  'apps/server/src/modules/notifications/config.ts': {
    owners: ['identity'],
    why: 'exported subscriptions name their user by username in the export join',
  },
  'apps/server/src/modules/sla/config.ts': {
    owners: ['assets'],
    why: 'exported policies name their contract by number in the export join',
  },
  'apps/server/src/modules/config/index.ts': {
    owners: ['identity'],
    why: "the installation id and the import history's usernames (config sits beside identity)",
  },
  // Analytics-side rule kept beside its twin.
  'apps/server/src/modules/parts/cost.ts': {
    owners: ['tickets'],
    why: 'tickets whose resolution lists a SKU, by the parts-used rule in SQL that the facts share',
  },
};

const where = (f: Finding) => `${f.file}:${f.line} ${f.what}`;

describe('module boundaries', () => {
  const report: BoundaryReport = scan();

  it('reports the counts', () => {
    console.info(
      Object.entries(summary(report))
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n'),
    );
    console.info(`table pairs: ${tablePairs(report).join(', ')}`);
    expect(report.reaching.length + report.rawReads.length).toBeGreaterThanOrEqual(0);
  });

  it('gives every migrated table an owner', () => {
    const orphans = migratedTables().filter((t) => !tableOwner(t));
    expect(orphans, `add these tables to TABLE_OWNERS in test/boundaries.ts: ${orphans.join(', ')}`).toEqual([]);
  });

  it('a module imports another module only through its index.ts', () => {
    expect(
      report.reaching.map(where),
      "import the other module's index.ts, and export what is needed there as part of its face",
    ).toEqual([]);
  });

  it('the platform imports no module', () => {
    expect(report.platformToModule.map(where)).toEqual([]);
  });

  it('the web imports no server code', () => {
    expect(report.webToServer.map(where), 'the web shares only @serviceloop/contracts with the server').toEqual([]);
  });

  it("a module's index.ts exports no drizzle tables", () => {
    expect(report.indexTables.map(where), 'export named reads and commands instead of tables').toEqual([]);
  });

  it("a module uses no other module's drizzle tables", () => {
    expect(report.tableImports.map(where), "call a named read or command of the owner's index.ts instead").toEqual([]);
  });

  it("raw SQL reads another module's tables only in the listed read facades", () => {
    const outside = report.rawReads.filter((r) => !RAW_SQL_FACADES[r.file]?.owners.includes(r.owner));
    expect(
      outside.map(where),
      "call the owner's face, or (for analytics, planning, search) add a read facade to RAW_SQL_FACADES with its reason",
    ).toEqual([]);
    const stale = Object.entries(RAW_SQL_FACADES).flatMap(([file, { owners }]) =>
      owners.filter((o) => !report.rawReads.some((r) => r.file === file && r.owner === o)).map((o) => `${file} → ${o}`),
    );
    expect(stale, 'these allowances are no longer used: remove them from RAW_SQL_FACADES').toEqual([]);
  });
});

describe('the boundary scanner', () => {
  it('finds raw table names in SQL literals and skips comments', async () => {
    const { literals, sqlTables } = await import('./boundaries');
    const source = [
      '// select * from tickets',
      `const a = sql\`select n from customers c join sites s on \${x} = s.id\`;`,
      "const b = 'update devices set a = 1'; /* from users */",
      'const r = /from teams`/;',
    ].join('\n');
    expect(literals(source).flatMap((l) => sqlTables(l.text))).toEqual(['customers', 'sites', 'devices']);
  });
});
