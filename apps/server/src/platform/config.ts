import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ADMIN_PASSWORD: z.string().optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(12),
  COOKIE_SECURE: z.enum(['true', 'false', 'auto']).default('auto'),
  // The reverse proxies whose X-Forwarded-For/-Proto/-Host are believed: addresses or CIDR ranges,
  // comma-separated (e.g. 10.0.0.0/8,127.0.0.1). Unset: the headers are ignored.
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .refine((entries) => entries.every((entry) => ipaddr.isValid(entry) || ipaddr.isValidCIDR(entry)), {
      message: 'TRUSTED_PROXIES lists IP addresses or CIDR ranges, comma-separated (e.g. 10.0.0.0/8,127.0.0.1)',
    }),
  SEED_DEMO: z.enum(['true', 'false']).default('true'),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  WEB_DIST: z.string().optional(),
  FILES_MAX_IMAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 * 1024),
  FILES_MAX_VIDEO_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(200 * 1024 * 1024),
  FILES_MAX_DOCUMENT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 * 1024),
  // Largest spreadsheet a historical import accepts (100,000 ticket rows are about 6 MB of xlsx).
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(50 * 1024 * 1024),
  // What an engineer's hour (on site or travelling) costs, in yuan: the labour part of service cost.
  LABOUR_RATE_PER_HOUR: z.coerce.number().min(0).default(150),
  // Attachments go to an S3-compatible bucket when S3_BUCKET is set, to DATA_DIR/files otherwise.
  S3_BUCKET: z.string().optional(),
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('true'),
  S3_PREFIX: z.string().default(''),
  // Outgoing mail (portal invitations, surveys): smtp://user:pass@host:587 or smtps://…; unset = no mail.
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('ServiceLoop <no-reply@serviceloop.local>'),
  // The address customers reach the app at, for links in mail and on QR labels (else the request's).
  PUBLIC_URL: z.url().optional(),
  // Map tiles behind the location picker: {s} {x} {y} {z} as in Leaflet; "off" for none (address search only).
  // Coordinates are GCJ-02, so the tiles must be too: 高德 and 腾讯 are; 天地图 and OpenStreetMap are WGS-84
  // (pins would sit some 500 m off) and 百度 has its own BD-09.
  MAP_TILE_URL: z
    .string()
    .default('https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}'),
  MAP_TILE_SUBDOMAINS: z.string().default('1234'),
  MAP_TILE_ATTRIBUTION: z.string().default('© 高德地图'),
  // Messages per minute per WeCom / DingTalk / Feishu robot (WeCom and DingTalk allow 20); beyond it they wait and merge.
  NOTIFY_ROBOT_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(20),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  adminPassword?: string;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  cookieSecure: 'true' | 'false' | 'auto';
  /** Proxies (addresses, CIDR ranges) whose forwarding headers give the client's address and scheme. */
  trustedProxies: string[];
  seedDemo: boolean;
  bodyLimit: number;
  labourRatePerHour: number;
  /** Largest import file, in bytes. */
  importMaxBytes: number;
  webDist?: string;
  /** Upload limits per kind of attachment, in bytes. */
  files: { image: number; video: number; document: number };
  /** S3-compatible attachment storage; absent means local disk. No keys: the SDK's default chain (env, IAM role). */
  s3?: {
    bucket: string;
    endpoint?: string;
    region: string;
    accessKeyId?: string;
    secretAccessKey?: string;
    forcePathStyle: boolean;
    prefix: string;
  };
  /** Outgoing mail; absent means links are shown to staff to pass on instead. */
  smtp?: { url: string; from: string };
  publicUrl?: string;
  /** Sends per minute per notification robot. */
  notifyRobotPerMinute: number;
  /** Map tiles for the location picker; url null = none (address search and numbers only). */
  mapTiles: { url: string | null; subdomains: string; attribution: string };
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = Env.parse(env);
  const config: Config = {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL || undefined,
    logLevel: e.LOG_LEVEL,
    adminPassword: e.ADMIN_PASSWORD || undefined,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    cookieSecure: e.COOKIE_SECURE,
    trustedProxies: e.TRUSTED_PROXIES,
    seedDemo: e.SEED_DEMO === 'true',
    bodyLimit: e.BODY_LIMIT_BYTES,
    labourRatePerHour: e.LABOUR_RATE_PER_HOUR,
    importMaxBytes: e.IMPORT_MAX_BYTES,
    webDist: e.WEB_DIST,
    files: { image: e.FILES_MAX_IMAGE_BYTES, video: e.FILES_MAX_VIDEO_BYTES, document: e.FILES_MAX_DOCUMENT_BYTES },
    s3: e.S3_BUCKET
      ? {
          bucket: e.S3_BUCKET,
          endpoint: e.S3_ENDPOINT || undefined,
          region: e.S3_REGION,
          accessKeyId: e.S3_ACCESS_KEY_ID || undefined,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY || undefined,
          forcePathStyle: e.S3_FORCE_PATH_STYLE === 'true',
          prefix: e.S3_PREFIX,
        }
      : undefined,
    smtp: e.SMTP_URL ? { url: e.SMTP_URL, from: e.MAIL_FROM } : undefined,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, '') || undefined,
    notifyRobotPerMinute: e.NOTIFY_ROBOT_PER_MINUTE,
    mapTiles: {
      url: ['', 'off', 'none'].includes(e.MAP_TILE_URL.trim()) ? null : e.MAP_TILE_URL.trim(),
      subdomains: e.MAP_TILE_SUBDOMAINS,
      attribution: e.MAP_TILE_ATTRIBUTION,
    },
  };
  assertProductionSafe(config);
  return config;
}

/** Production refuses to start with a default or short admin secret. */
function assertProductionSafe(config: Config): void {
  if (config.s3 && !config.s3.accessKeyId !== !config.s3.secretAccessKey) {
    throw new Error(
      'Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither (to use the default AWS credentials).',
    );
  }
  if (config.env !== 'production') return;
  const pw = config.adminPassword;
  if (pw !== undefined && (pw.length < 12 || /^(admin|password|changeme|123456)/i.test(pw))) {
    throw new Error('ADMIN_PASSWORD is too weak for production (12+ characters, not a default).');
  }
  if (config.seedDemo) {
    throw new Error('SEED_DEMO=true is refused in production: demo accounts have published passwords.');
  }
}

/** The origins map tiles come from, for the content security policy: one per subdomain. */
export function mapTileOrigins(tiles: Config['mapTiles']): string[] {
  if (!tiles.url) return [];
  const subdomains = tiles.url.includes('{s}') ? [...(tiles.subdomains || 'a')] : [''];
  const origins = new Set<string>();
  for (const s of subdomains) {
    try {
      origins.add(new URL(tiles.url.replace('{s}', s).replace(/\{[xyz]\}/g, '0')).origin);
    } catch {
      // A malformed URL draws no tiles; the picker falls back to the address search.
    }
  }
  return [...origins];
}
