import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Outbound HTTP for robots and webhooks, guarded against server-side request forgery: an admin
 * types the URL, so without a guard it could point the server at its own loopback services,
 * the office network or the cloud metadata endpoint. The name is resolved once, every address
 * it has must be public unicast (unless an admin allow-listed the host), and the connection is
 * made to that pinned address — a second lookup between check and connect (DNS rebinding) never
 * happens. Redirects are never followed: node's http client doesn't, and a 3xx counts as failure.
 */

export class OutboundRefused extends Error {
  constructor(
    readonly host: string,
    readonly reason: string,
  ) {
    super(`outbound request to ${host} refused: ${reason}`);
  }
}

/**
 * Whether an address may be reached without an allow-list entry: only ordinary public unicast.
 * ipaddr.js names every special range — private, loopback, link-local (169.254.169.254, the
 * metadata service), carrier-grade NAT (100.64/10, Alibaba Cloud's 100.100.100.200), multicast,
 * unspecified, broadcast, reserved, IPv6 unique-local (fd00:ec2::254), Teredo — and an IPv6
 * address carrying an IPv4 address is judged by the IPv4 address inside first (see `embeddedIPv4`).
 * Any spelling ipaddr.js reads is accepted (`2130706433`, `0x7f.1`, `::FFFF:7F00:1`).
 */
export function publicAddress(address: string): { ok: boolean; range: string } {
  if (!ipaddr.isValid(address)) return { ok: false, range: 'invalid' };
  const parsed = ipaddr.parse(address);
  const range = parsed.range();
  if (parsed.kind() === 'ipv4' || range === 'loopback' || range === 'unspecified') {
    return { ok: range === 'unicast', range };
  }
  const inside = embeddedIPv4(parsed as ipaddr.IPv6);
  if (!inside) return { ok: range === 'unicast', range };
  const verdict = publicAddress(inside.ipv4.toString());
  if (!verdict.ok) return verdict;
  // A public IPv4 behind a mapped or NAT64 address is that host; the tunnelling forms are refused.
  return inside.reachesIt ? verdict : { ok: false, range: inside.form };
}

/**
 * The IPv4 address an IPv6 address carries, in the forms that embed one: IPv4-mapped (::ffff:0:0/96,
 * how dual-stack sockets spell IPv4), NAT64 (64:ff9b::/96, what DNS64 answers on IPv6-only
 * networks), IPv4-compatible (::/96, deprecated — `[::127.0.0.1]` would otherwise pass as unicast),
 * IPv4-translated (::ffff:0:0:0/96) and 6to4 (2002::/16).
 */
function embeddedIPv4(address: ipaddr.IPv6): { ipv4: ipaddr.IPv4; form: string; reachesIt: boolean } | null {
  const p = address.parts;
  const ipv4 = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 255, low >> 8, low & 255]);
  const zeros = (from: number, to: number) => p.slice(from, to).every((part) => part === 0);
  if (zeros(0, 5) && p[5] === 0xffff) return { ipv4: ipv4(p[6]!, p[7]!), form: 'ipv4Mapped', reachesIt: true };
  if (p[0] === 0x64 && p[1] === 0xff9b && zeros(2, 6))
    return { ipv4: ipv4(p[6]!, p[7]!), form: 'rfc6052', reachesIt: true };
  if (zeros(0, 6)) return { ipv4: ipv4(p[6]!, p[7]!), form: 'ipv4Compatible', reachesIt: false };
  if (zeros(0, 4) && p[4] === 0xffff && p[5] === 0)
    return { ipv4: ipv4(p[6]!, p[7]!), form: 'rfc6145', reachesIt: false };
  if (p[0] === 0x2002) return { ipv4: ipv4(p[1]!, p[2]!), form: '6to4', reachesIt: false };
  return null;
}

/**
 * Names that mean this machine or a private network whatever DNS says: localhost (RFC 6761),
 * .local (mDNS, RFC 6762), .home.arpa (RFC 8375) and .internal (reserved by ICANN for private use,
 * e.g. metadata.google.internal). Refused by name, so one that does not resolve when saved is
 * refused then too.
 */
const PRIVATE_NAME = /(^|\.)(localhost|local|internal|home\.arpa)$/;

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;
const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

export interface PinnedUrl {
  url: URL;
  address: string;
  family: 4 | 6;
}

/**
 * A URL's host as the allow-list and the resolver want it: IPv6 literals without brackets, lower
 * case, and without the trailing dot of a fully qualified name (`localhost.` is `localhost`). The
 * URL parser has already turned IDN into punycode, full-width digits into ASCII and every IPv4
 * spelling (`2130706433`, `0x7f.1`, `0177.0.0.1`) into dotted decimal.
 */
export const bareHost = (hostname: string) =>
  hostname
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase()
    .replace(/\.+$/, '');

export class OutboundGuard {
  constructor(
    /** The hosts an administrator allowed although they resolve to internal addresses. */
    private readonly allowedHosts: () => Promise<Set<string>>,
    private readonly resolve: Resolver = systemResolver,
  ) {}

  /** Resolves the URL's host once and returns the address to connect to, or throws OutboundRefused. */
  async pin(raw: string): Promise<PinnedUrl> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new OutboundRefused('?', 'not a URL');
    }
    const host = bareHost(url.hostname);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundRefused(host, 'scheme');
    if (url.username || url.password) throw new OutboundRefused(host, 'credentials in URL');
    const allowed = (await this.allowedHosts()).has(host);
    if (!allowed && PRIVATE_NAME.test(host)) throw new OutboundRefused(host, 'private name');
    const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await this.lookup(host);
    if (addresses.length === 0) throw new OutboundRefused(host, 'no address');
    if (!allowed) {
      // Every address must be public: a name with one public and one internal record is refused,
      // since the connection could otherwise be steered to the internal one.
      for (const a of addresses) {
        const verdict = publicAddress(a.address);
        if (!verdict.ok) throw new OutboundRefused(host, `${verdict.range} address ${a.address}`);
      }
    }
    const first = addresses[0]!;
    return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
  }

  /**
   * The save-time check: why the URL would be refused at send time, or null. A name that does not
   * resolve from here yet is accepted — the guard runs again at every send.
   */
  async refusal(raw: string): Promise<string | null> {
    try {
      await this.pin(raw);
      return null;
    } catch (error) {
      if (!(error instanceof OutboundRefused)) throw error;
      return error.reason.startsWith('cannot resolve') ? null : error.reason;
    }
  }

  private async lookup(host: string) {
    try {
      return await this.resolve(host);
    } catch (error) {
      throw new OutboundRefused(host, `cannot resolve (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
}

export interface OutboundResponse {
  status: number;
  body: string;
}

/** Masks what authenticates a robot or hook in its URL, for logs, errors and the admin page. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    for (const key of [...url.searchParams.keys()]) {
      if (/key|token|sign|secret|password/i.test(key)) url.searchParams.set(key, '***');
    }
    // Feishu/Lark (…/bot/v2/hook/<token>) puts the token in the last path segment.
    url.pathname = url.pathname.replace(/\/hook\/[^/]+$/i, '/hook/***');
    if (url.username || url.password) {
      url.username = '***';
      url.password = '';
    }
    return url.toString().replace(/%2A%2A%2A/g, '***');
  } catch {
    return '***';
  }
}

/**
 * POSTs a body to a pinned address. The Host header and TLS server name stay the URL's host, so
 * certificates are checked against the name, not the address. The answer is read up to 64 KiB.
 */
export function postPinned(
  target: PinnedUrl,
  body: string,
  headers: Record<string, string>,
  timeoutMs = 10_000,
): Promise<OutboundResponse> {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    // With autoSelectFamily (Node ≥ 20 default) the socket asks for all addresses.
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    } else callback(null, target.address, target.family);
  };
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target.url,
      {
        method: 'POST',
        lookup,
        timeout: timeoutMs,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'ServiceLoop-Notify/1',
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= 65_536) chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
