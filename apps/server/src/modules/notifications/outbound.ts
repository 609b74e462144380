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
 * unspecified, broadcast, reserved, IPv6 unique-local (fd00:ec2::254), 6to4/Teredo/NAT64 — and an
 * IPv4-mapped IPv6 address is judged by the IPv4 address inside it.
 */
export function publicAddress(address: string): { ok: boolean; range: string } {
  if (!ipaddr.isValid(address)) return { ok: false, range: 'invalid' };
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  return { ok: range === 'unicast', range };
}

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;
const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

export interface PinnedUrl {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** URL hostnames keep IPv6 literals in brackets; the allow-list and the resolver want them bare. */
export const bareHost = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();

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
