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

  it.each(['1.1.1.1', '220.181.38.148', '2400:3200::1', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(publicAddress(address).ok).toBe(true);
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
    // A name is judged by what it resolves to: the system resolver answers loopback for localhost.
    expect(await refusal(guard().pin(`http://localhost:${port}/hook`))).toMatch(/loopback/);
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
