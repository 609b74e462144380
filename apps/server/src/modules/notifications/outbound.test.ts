import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundGuard, OutboundRefused, postPinned, publicAddress, redactUrl } from './outbound';

describe('which addresses are public', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.8.8', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.100.100.200', 'carrierGradeNat'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:a00:1', 'private'],
    ['255.255.255.255', 'broadcast'],
  ])('%s is refused (%s)', (address, range) => {
    expect(publicAddress(address)).toEqual({ ok: false, range });
  });

  it.each(['1.1.1.1', '220.181.38.148', '2400:3200::1', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    '%s is public',
    (address) => {
      expect(publicAddress(address).ok).toBe(true);
    },
  );

  it.each([
    // An IPv6 address carrying an IPv4 one is judged by the IPv4 inside.
    ['::127.0.0.1', 'loopback'],
    ['::7f00:1', 'loopback'],
    ['::a9fe:a9fe', 'linkLocal'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::a00:1', 'private'],
    ['::ffff:0:7f00:1', 'loopback'],
    ['2002:7f00:1::1', 'loopback'],
    ['2002:a9fe:a9fe::', 'linkLocal'],
    // Tunnelling forms are refused even around a public IPv4 address.
    ['::808:808', 'ipv4Compatible'],
    ['2002:808:808::1', '6to4'],
    ['::ffff:0:808:808', 'rfc6145'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo'],
    // Every IPv4 spelling a parser accepts.
    ['2130706433', 'loopback'],
    ['0x7f.1', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['::FFFF:7F00:1', 'loopback'],
  ])('%s is refused as %s', (address, range) => {
    expect(publicAddress(address)).toEqual({ ok: false, range });
  });
});

/**
 * Every way of writing an internal address in a URL, refused when an endpoint is saved
 * (`refusal`) and when it sends (`pin`) — the literal in the URL, and the same address as a name's
 * DNS answer. Uppercase, trailing dots, IDN and full-width digits are undone by the URL parser and
 * `bareHost`; what is left is judged by `publicAddress`.
 */
describe('the guard over every spelling of an internal address', () => {
  const literals = [
    'http://[::127.0.0.1]/',
    'http://[::7f00:1]:8080/',
    'http://[::ffff:127.0.0.1]/',
    'http://[0:0:0:0:0:ffff:7f00:1]/',
    'http://[64:ff9b::169.254.169.254]/latest/meta-data/',
    'http://[64:ff9b::a00:1]/',
    'http://[2002:7f00:1::1]/',
    'http://[::ffff:0:a9fe:a9fe]/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://0x7f000001/',
    'http://0177.0.0.1/',
    'http://017700000001/',
    'http://127.1/',
    'http://127.0.0.1./',
    'http://１２７.０.０.１/',
    'http://0/',
    'http://[::]/',
    'http://[::1]/',
    'http://[FE80::1]/',
    'http://LOCALHOST/',
    'http://localhost./',
    'http://LocalHost../',
    'http://api.localhost/',
    'http://ⓛocalhost/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://printer.local./',
    'http://router.home.arpa/',
  ];
  // A name whose DNS answer is any of these (DNS rebinding: public when saved, internal when sent).
  const answers = [
    '127.0.0.1',
    '::127.0.0.1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::a9fe:a9fe',
    '2002:a00:1::',
    '0:0:0:0:0:0:0:1',
    '10.1.2.3',
    '100.100.100.200',
    'fd00:ec2::254',
  ];
  const noDns = new OutboundGuard(
    async () => new Set(),
    async (host) => {
      throw Object.assign(new Error(`no DNS for ${host} here`), { code: 'ENOTFOUND' });
    },
  );

  it.each(literals)('refuses %s when saved and when sent', async (url) => {
    expect(await noDns.refusal(url)).not.toBeNull();
    await expect(noDns.pin(url)).rejects.toBeInstanceOf(OutboundRefused);
  });

  it.each(answers)(
    'refuses a name that resolves to %s at send time, though it was public when saved',
    async (address) => {
      let lookups = 0;
      const rebinding = new OutboundGuard(
        async () => new Set(),
        async () => [
          lookups++ === 0 ? { address: '1.1.1.1', family: 4 } : { address, family: address.includes(':') ? 6 : 4 },
        ],
      );
      expect(await rebinding.refusal('https://hooks.example.com./send')).toBeNull();
      await expect(rebinding.pin('https://hooks.example.com./send')).rejects.toBeInstanceOf(OutboundRefused);
    },
  );

  it('accepts a public name, an unresolvable one when saved, and an allow-listed name with its trailing dot', async () => {
    const publicDns = new OutboundGuard(
      async () => new Set(['erp.local']),
      async () => [{ address: '10.0.0.9', family: 4 }],
    );
    expect(await publicDns.refusal('http://erp.local./in')).toBeNull();
    expect(await noDns.refusal('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K')).toBeNull();
    await expect(noDns.pin('https://qyapi.weixin.qq.com/')).rejects.toThrow(/cannot resolve/);
  });
});

describe('the outbound guard against a real local server', () => {
  let server: http.Server;
  let port: number;
  const received: { url: string; host: string; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ url: req.url ?? '', host: req.headers.host ?? '', body });
        if (req.url?.startsWith('/redirect')) {
          res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        } else res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const guard = (allowed: string[] = []) => new OutboundGuard(async () => new Set(allowed));
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (e) => e,
    );
    expect(error).toBeInstanceOf(OutboundRefused);
    return (error as OutboundRefused).reason;
  };

  it('refuses loopback, link-local metadata, private and mapped addresses, and names resolving to loopback', async () => {
    expect(await refusal(guard().pin(`http://127.0.0.1:${port}/hook`))).toMatch(/loopback/);
    expect(await refusal(guard().pin(`http://[::1]:${port}/hook`))).toMatch(/loopback/);
    expect(await refusal(guard().pin('http://169.254.169.254/latest/meta-data/'))).toMatch(/linkLocal/);
    expect(await refusal(guard().pin('http://10.0.0.8/hook'))).toMatch(/private/);
    expect(await refusal(guard().pin('http://[::ffff:127.0.0.1]/hook'))).toMatch(/loopback/);
    expect(await refusal(guard().pin('http://100.100.100.200/latest/meta-data/'))).toMatch(/carrierGradeNat/);
    // localhost is this machine whatever DNS says; other names are judged by what they resolve to.
    expect(await refusal(guard().pin(`http://localhost:${port}/hook`))).toBe('private name');
    const loopbackName = new OutboundGuard(
      async () => new Set(),
      async () => [{ address: '127.0.0.1', family: 4 }],
    );
    expect(await refusal(loopbackName.pin(`http://robot.test:${port}/hook`))).toMatch(/loopback/);
    // A name with one public and one internal address is refused too (it could be steered inward).
    const mixed = new OutboundGuard(
      async () => new Set(),
      async () => [
        { address: '1.1.1.1', family: 4 },
        { address: '10.0.0.1', family: 4 },
      ],
    );
    expect(await refusal(mixed.pin('https://hooks.example.com/x'))).toMatch(/private/);
    expect(await refusal(guard().pin('ftp://example.com/x'))).toBe('scheme');
    expect(received).toEqual([]);
  });

  it('connects to the pinned address of an allow-listed host, keeping the name in the Host header', async () => {
    // The resolver is asked once; the connection goes to its answer, whatever DNS says later.
    let lookups = 0;
    const pinned = await new OutboundGuard(
      async () => new Set(['robot.test']),
      async () => {
        lookups++;
        return [{ address: '127.0.0.1', family: 4 }];
      },
    ).pin(`http://robot.test:${port}/send?key=abc`);
    const answer = await postPinned(pinned, '{"msgtype":"text"}', {});
    expect(answer).toEqual({ status: 200, body: '{"errcode":0}' });
    expect(lookups).toBe(1);
    expect(received.at(-1)).toEqual({ url: '/send?key=abc', host: `robot.test:${port}`, body: '{"msgtype":"text"}' });

    const literal = await guard(['127.0.0.1']).pin(`http://127.0.0.1:${port}/ok`);
    expect((await postPinned(literal, '{}', {})).status).toBe(200);
  });

  it('never follows a redirect', async () => {
    const before = received.length;
    const pinned = await guard(['127.0.0.1']).pin(`http://127.0.0.1:${port}/redirect`);
    const answer = await postPinned(pinned, '{}', {});
    expect(answer.status).toBe(302);
    expect(received.length).toBe(before + 1);
  });

  it('masks credentials in robot and hook URLs', () => {
    expect(redactUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx')).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***',
    );
    expect(redactUrl('https://oapi.dingtalk.com/robot/send?access_token=abc123&timestamp=1&sign=xyz')).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=***&timestamp=1&sign=***',
    );
    expect(redactUrl('https://open.feishu.cn/open-apis/bot/v2/hook/0f3c9a1e-secret')).toBe(
      'https://open.feishu.cn/open-apis/bot/v2/hook/***',
    );
    expect(redactUrl('https://user:pw@erp.example.com/in')).not.toContain('pw');
  });
});
