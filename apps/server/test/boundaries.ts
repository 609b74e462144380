import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reads the source tree for the module boundaries the architecture sets (docs/architecture.md,
 * "Module faces"): which imports cross a module's face, and which raw SQL reaches into another
 * module's tables. Plain text scanning, no TypeScript API (TypeScript 7 has none) and no database,
 * so the check runs in well under a second. `npx tsx apps/server/test/boundaries.ts` prints the counts.
 */

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SERVER_SRC = join(REPO, 'apps/server/src');
const WEB_SRC = join(REPO, 'apps/web/src');
const MIGRATIONS = join(REPO, 'apps/server/migrations');

/**
 * Who owns each table the migrations create. A table belongs to exactly one module (or to the
 * platform, whose tables every module may use through the platform's own API and SQL). A new
 * table must be added here: the test fails on a table with no owner.
 */
export const TABLE_OWNERS: Record<string, readonly string[]> = {
  platform: ['events', 'event_deliveries', 'jobs', 'job_schedules', 'idempotency_keys', 'china_holiday_years'],
  identity: ['teams', 'users', 'sessions', 'api_tokens', 'login_throttle', 'login_failures', 'settings'],
  customers: ['customers', 'contacts', 'sites'],
  assets: ['product_models', 'service_contracts', 'devices'],
  tickets: [
    'fault_categories',
    'fault_synonyms',
    'tickets',
    'visits',
    'ticket_links',
    'attachments',
    'visit_assistants',
  ],
  forms: ['form_fields'],
  workflows: ['ticket_types', 'workflow_versions'],
  analytics: ['ticket_facts', 'kpi_daily', 'saved_reports', 'dashboards'],
  parts: [
    'parts',
    'warehouses',
    'stock_movements',
    'stock_balances',
    'reorder_points',
    'requisitions',
    'requisition_lines',
    'parts_settings',
  ],
  sla: ['sla_calendars', 'sla_policies', 'sla_clocks'],
  notifications: [
    'notifications',
    'notification_endpoints',
    'notification_allowed_hosts',
    'notification_subscriptions',
    'notification_templates',
    'notification_preferences',
    'notification_deliveries',
    'notification_attempts',
  ],
  integrations: ['import_runs', 'import_mappings', 'imported_records'],
  field: ['engineer_profiles', 'skill_requirements', 'geo_maps', 'field_sync_ops'],
  portal: ['portal_invitations', 'portal_faqs', 'quotes'],
  surveys: ['surveys'],
  automation: ['automation_rules', 'automation_runs'],
  config: ['config_imports'],
};

export function tableOwner(table: string): string | undefined {
  for (const [owner, tables] of Object.entries(TABLE_OWNERS)) if (tables.includes(table)) return owner;
  return undefined;
}

/** Tables the migrations create (`create table [if not exists] name`). */
export function migratedTables(): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql'))) {
    const text = readFileSync(join(MIGRATIONS, file), 'utf8');
    for (const m of text.matchAll(/create\s+table\s+(?:if\s+not\s+exists\s+)?([a-z_][a-z0-9_]*)/gi)) {
      names.add((m[1] ?? '').toLowerCase());
    }
  }
  return [...names];
}

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') walk(path, out);
    } else if (/\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(path);
    }
  }
  return out;
}

export interface Literal {
  text: string;
  line: number;
}

/**
 * The string and template literals of a TypeScript file, comments skipped. A template's `${…}`
 * holes are scanned as code (their own literals are collected) and stand as a space in its text.
 */
export function literals(source: string): Literal[] {
  const found: Literal[] = [];
  let i = 0;
  let line = 1;
  let lastSignificant = '';
  // Each open template keeps its text so far and the brace depth its current hole started at.
  const templates: { text: string; line: number; depth: number }[] = [];
  let depth = 0;

  const readQuoted = (quote: string) => {
    const start = line;
    let text = '';
    i++;
    while (i < source.length && source[i] !== quote) {
      if (source[i] === '\\') {
        text += source[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (source[i] === '\n') line++;
      text += source[i++];
    }
    i++;
    found.push({ text, line: start });
  };

  // Reads template text from i (just after ` or }) to the closing ` or the next ${.
  const readTemplate = (current: { text: string; line: number; depth: number }) => {
    while (i < source.length) {
      const c = source[i] ?? '';
      if (c === '\\') {
        current.text += source[i + 1] ?? '';
        i += 2;
      } else if (c === '`') {
        i++;
        templates.pop();
        found.push({ text: current.text, line: current.line });
        lastSignificant = '`';
        return;
      } else if (c === '$' && source[i + 1] === '{') {
        i += 2;
        current.text += ' ';
        current.depth = depth;
        depth++;
        lastSignificant = '{';
        return;
      } else {
        if (c === '\n') line++;
        current.text += c;
        i++;
      }
    }
  };

  while (i < source.length) {
    const c = source[i] ?? '';
    const next = source[i + 1];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      for (let k = i; k < stop; k++) if (source[k] === '\n') line++;
      i = stop;
    } else if (c === '/' && (lastSignificant === '' || '(,=:[!&|?{};+-*%<>~^'.includes(lastSignificant))) {
      // A regular expression literal: skip it so its quotes and slashes read as nothing.
      i++;
      let inClass = false;
      while (i < source.length && source[i] !== '\n') {
        if (source[i] === '\\') i++;
        else if (source[i] === '[') inClass = true;
        else if (source[i] === ']') inClass = false;
        else if (source[i] === '/' && !inClass) break;
        i++;
      }
      i++;
      lastSignificant = ')';
    } else if (c === "'" || c === '"') {
      readQuoted(c);
      lastSignificant = c;
    } else if (c === '`') {
      i++;
      const current = { text: '', line, depth: -1 };
      templates.push(current);
      readTemplate(current);
    } else if (c === '{') {
      depth++;
      lastSignificant = c;
      i++;
    } else if (c === '}') {
      depth--;
      i++;
      const open = templates.at(-1);
      if (open && open.depth === depth) readTemplate(open);
      else lastSignificant = c;
    } else {
      if (!/\s/.test(c)) lastSignificant = /[\w$]/.test(c) ? 'a' : c;
      i++;
    }
  }
  return found;
}

export interface ImportSite {
  specifier: string;
  names: string[];
  line: number;
}

/** Static `import … from`, `export … from` and dynamic `import('…')` specifiers. */
export function importsOf(source: string): ImportSite[] {
  const sites: ImportSite[] = [];
  const lineAt = (index: number) => source.slice(0, index).split('\n').length;
  for (const m of source.matchAll(/^(?:import|export)\b([^;'"]*?)\bfrom\s*['"]([^'"]+)['"]/gm)) {
    const names = [...((m[1] ?? '').match(/\{([^}]*)\}/)?.[1] ?? '').split(',')]
      .map((n) =>
        (
          n
            .trim()
            .replace(/^type\s+/, '')
            .split(/\s+as\s+/)[0] ?? ''
        ).trim(),
      )
      .filter(Boolean);
    sites.push({ specifier: m[2] ?? '', names, line: lineAt(m.index) });
  }
  for (const m of source.matchAll(/^import\s*['"]([^'"]+)['"]/gm)) {
    sites.push({ specifier: m[1] ?? '', names: [], line: lineAt(m.index) });
  }
  for (const m of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    sites.push({ specifier: m[1] ?? '', names: [], line: lineAt(m.index) });
  }
  return sites;
}

/** `modules/<name>` for a file under the server's modules, `platform` under platform, else undefined. */
export function ownerOf(file: string): string | undefined {
  const rel = relative(SERVER_SRC, file);
  if (rel.startsWith('..')) return undefined;
  const [top, name] = rel.split(/[\\/]/);
  if (top === 'platform') return 'platform';
  if (top === 'modules' && name && !name.includes('.')) return name;
  return undefined;
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return resolve(dirname(from), specifier);
}

const isTest = (file: string) => /\.test\.tsx?$/.test(file);

/** Table names a statement touches: after from / join / update / into, and each `, name alias` in a from list. */
export function sqlTables(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/\b(?:from|join|update|into)\s+(?:only\s+)?([a-z_][a-z0-9_]*)\b/gi)) {
    names.push((m[1] ?? '').toLowerCase());
  }
  return names;
}

export interface Finding {
  file: string;
  line: number;
  what: string;
}

export interface RawRead extends Finding {
  module: string;
  table: string;
  owner: string;
}

export interface BoundaryReport {
  /** A module importing another module's file other than its index.ts. */
  reaching: Finding[];
  /** The platform importing a module. */
  platformToModule: Finding[];
  /** The web app importing server code. */
  webToServer: Finding[];
  /** A module's index.ts handing out drizzle tables. */
  indexTables: Finding[];
  /** A module importing another module's drizzle table (through any path). */
  tableImports: (Finding & { module: string; owner: string })[];
  /** Raw SQL in a module over another module's table, one entry per file and table. */
  rawReads: RawRead[];
}

/** Drizzle table constants each module defines (`export const x = pgTable(`), by module. */
function drizzleTables(files: string[]): Map<string, Set<string>> {
  const byModule = new Map<string, Set<string>>();
  for (const file of files) {
    const module = ownerOf(file);
    if (!module || module === 'platform') continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/export\s+const\s+(\w+)\s*=\s*pgTable\(/g)) {
      if (!byModule.has(module)) byModule.set(module, new Set());
      byModule.get(module)?.add(m[1] ?? '');
    }
  }
  return byModule;
}

export function scan(options: { includeTests?: boolean } = {}): BoundaryReport {
  const serverFiles = walk(SERVER_SRC);
  const tablesByModule = drizzleTables(serverFiles);
  const report: BoundaryReport = {
    reaching: [],
    platformToModule: [],
    webToServer: [],
    indexTables: [],
    tableImports: [],
    rawReads: [],
  };
  const rel = (file: string) => relative(REPO, file);

  for (const file of serverFiles) {
    const source = readFileSync(file, 'utf8');
    const module = ownerOf(file);
    const counted = options.includeTests || !isTest(file);
    for (const site of importsOf(source)) {
      const target = resolveImport(file, site.specifier);
      if (!target) continue;
      const targetModule = ownerOf(target);
      const where = { file: rel(file), line: site.line, what: `import '${site.specifier}'` };
      if (module === 'platform' && targetModule && targetModule !== 'platform') report.platformToModule.push(where);
      if (!targetModule || targetModule === 'platform' || targetModule === module) continue;
      const isFace = relative(join(SERVER_SRC, 'modules', targetModule), target) === 'index';
      if (module && module !== 'platform' && !isFace && counted) report.reaching.push(where);
      const tables = tablesByModule.get(targetModule);
      const taken = site.names.filter((n) => tables?.has(n));
      if (module && module !== 'platform' && taken.length > 0 && counted) {
        report.tableImports.push({
          ...where,
          what: `imports ${targetModule}'s table${taken.length > 1 ? 's' : ''} ${taken.join(', ')}`,
          module,
          owner: targetModule,
        });
      }
    }
    if (module && module !== 'platform' && relative(join(SERVER_SRC, 'modules', module), file) === 'index.ts') {
      const own = tablesByModule.get(module) ?? new Set();
      for (const m of source.matchAll(/^export\s*\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/gm)) {
        const names = (m[1] ?? '').split(',').map((n) => n.trim().split(/\s+as\s+/)[0] ?? '');
        const tables = names.filter((n) => own.has(n));
        if (tables.length > 0) {
          report.indexTables.push({ file: rel(file), line: 0, what: `exports table(s) ${tables.join(', ')}` });
        }
      }
    }
    if (module && module !== 'platform' && counted) {
      const seen = new Set<string>();
      for (const literal of literals(source)) {
        for (const table of sqlTables(literal.text)) {
          const owner = tableOwner(table);
          if (!owner || owner === module || owner === 'platform' || seen.has(table)) continue;
          seen.add(table);
          report.rawReads.push({
            file: rel(file),
            line: literal.line,
            what: `raw SQL over ${owner}'s table ${table}`,
            module,
            table,
            owner,
          });
        }
      }
    }
  }

  for (const file of walk(WEB_SRC)) {
    for (const site of importsOf(readFileSync(file, 'utf8'))) {
      const target = resolveImport(file, site.specifier);
      const reachesServer =
        (target && !relative(join(REPO, 'apps/server'), target).startsWith('..')) ||
        site.specifier.startsWith('@serviceloop/server');
      if (reachesServer)
        report.webToServer.push({ file: rel(file), line: site.line, what: `import '${site.specifier}'` });
    }
  }
  return report;
}

/** Ordered module pairs (reader → owner) joined by a table import or raw SQL. */
export function tablePairs(report: BoundaryReport): string[] {
  const pairs = new Set<string>();
  for (const t of report.tableImports) pairs.add(`${t.module} → ${t.owner}`);
  for (const r of report.rawReads) pairs.add(`${r.module} → ${r.owner}`);
  return [...pairs].sort();
}

export function summary(report: BoundaryReport): Record<string, number> {
  return {
    'index.ts files exporting tables': new Set(report.indexTables.map((f) => f.file)).size,
    'module pairs reading each other’s tables': tablePairs(report).length,
    'files outside tickets reading `tickets` by raw SQL': new Set(
      report.rawReads.filter((r) => r.table === 'tickets').map((r) => r.file),
    ).size,
    'raw SQL reads of another module’s table (file × table)': report.rawReads.length,
    'imports reaching past another module’s index': report.reaching.length,
    'platform imports of a module': report.platformToModule.length,
    'web imports of server code': report.webToServer.length,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const includeTests = process.argv.includes('--with-tests');
  const report = scan({ includeTests });
  console.table(summary(report));
  if (process.argv.includes('--list')) {
    for (const f of [...report.reaching, ...report.tableImports, ...report.rawReads]) {
      console.log(`${f.file}:${f.line} ${f.what}`);
    }
    console.log(tablePairs(report).join('\n'));
  }
}
