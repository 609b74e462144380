import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clip, dingTalkSign, feishuSign, mergedText, robotAnswer, robotRequest } from './robots';
import { DEFAULT_TEMPLATES, placeholders, render, VARIABLES_OF } from './templates';
import { quietUntil, retryDelayMs } from './timing';
import { verifyWebhook, webhookHeaders, webhookSignature } from './webhooks';

describe('robot formats', () => {
  const message = { title: 'SLA 超时：T1', text: '**SLA 超时：T1**\n\n客户：甲' };
  const now = new Date('2026-05-18T01:02:03.456Z');

  it('DingTalk signs timestamp + "\\n" + secret with the secret as key, in the URL, encoded', () => {
    const secret = 'SEC0123456789abcdef';
    const request = robotRequest(
      'dingtalk',
      'https://oapi.dingtalk.com/robot/send?access_token=T',
      secret,
      message,
      now,
    );
    const url = new URL(request.url);
    expect(url.searchParams.get('access_token')).toBe('T');
    expect(url.searchParams.get('timestamp')).toBe(String(now.getTime()));
    const expected = createHmac('sha256', secret).update(`${now.getTime()}\n${secret}`).digest('base64');
    expect(url.searchParams.get('sign')).toBe(expected);
    // base64 has + / = — they must arrive percent-encoded, not as a space.
    expect(request.url).not.toMatch(/sign=[^&]*[+/=]/);
    expect(JSON.parse(request.body)).toEqual({
      msgtype: 'markdown',
      markdown: { title: message.title, text: message.text },
    });
    expect(dingTalkSign(secret, 1)).not.toBe(dingTalkSign(secret, 2));
  });

  it('Feishu puts timestamp (seconds) and sign in the body; the key is timestamp + "\\n" + secret', () => {
    const request = robotRequest('feishu', 'https://open.feishu.cn/open-apis/bot/v2/hook/H', 'fs-secret', message, now);
    const body = JSON.parse(request.body);
    expect(body.timestamp).toBe('1779066123');
    expect(body.sign).toBe(createHmac('sha256', '1779066123\nfs-secret').update('').digest('base64'));
    expect(body.sign).toBe(feishuSign('fs-secret', 1779066123));
    expect(body.msg_type).toBe('post');
    expect(body.content.post.zh_cn.title).toBe(message.title);
  });

  it('WeCom sends markdown and stays within its 4096-byte limit', () => {
    const long = { title: 't', text: '故'.repeat(3000) };
    const body = JSON.parse(robotRequest('wecom', 'https://qyapi.weixin.qq.com/x?key=K', null, long, now).body);
    expect(body.msgtype).toBe('markdown');
    expect(Buffer.byteLength(body.markdown.content)).toBeLessThanOrEqual(4096);
    expect(body.markdown.content.endsWith('…')).toBe(true);
    expect(clip('short')).toBe('short');
  });

  it('reads a 200 with a non-zero errcode or code as a failure', () => {
    expect(robotAnswer(200, '{"errcode":0,"errmsg":"ok"}')).toEqual({ ok: true, error: null });
    expect(robotAnswer(200, '{"code":0,"msg":"success"}').ok).toBe(true);
    expect(robotAnswer(200, '{"errcode":310000,"errmsg":"sign not match"}')).toEqual({
      ok: false,
      error: 'robot error 310000: sign not match',
    });
    expect(robotAnswer(200, '{"code":19021,"msg":"sign match fail"}').ok).toBe(false);
    expect(robotAnswer(200, '{"errcode":45009,"errmsg":"api freq out of limit"}').ok).toBe(false);
    expect(robotAnswer(502, '')).toEqual({ ok: false, error: 'HTTP 502' });
    expect(robotAnswer(200, '<html>').ok).toBe(false);
  });

  it('merges a burst into one message with a count heading', () => {
    const merged = mergedText(
      [
        { title: 'A', body: 'a' },
        { title: 'B', body: 'b' },
        { title: 'C', body: 'c' },
      ],
      (n) => `${n} 条新通知`,
    );
    expect(merged.title).toBe('3 条新通知');
    expect(merged.text).toContain('**A**\na');
    expect(merged.text).toContain('**C**\nc');
  });
});

describe('Standard Webhooks signing', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  it('signs id.timestamp.body with the base64-decoded secret and verifies like a receiver', () => {
    const body = '{"type":"ticket.created"}';
    const now = new Date('2026-05-18T00:00:00Z');
    const headers = webhookHeaders(secret, 'msg_1', now, body);
    expect(headers['webhook-timestamp']).toBe('1779062400');
    const key = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
    const expected = createHmac('sha256', key).update(`msg_1.1779062400.${body}`).digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(verifyWebhook(secret, headers, body, now)).toBe(true);
    expect(verifyWebhook(secret, headers, `${body} `, now)).toBe(false);
    expect(verifyWebhook(secret, headers, body, new Date(now.getTime() + 600_000))).toBe(false);
    expect(verifyWebhook('whsec_b3RoZXI=', headers, body, now)).toBe(false);
    expect(webhookSignature(secret, 'msg_2', 1779062400, body)).not.toBe(headers['webhook-signature']);
  });
});

describe('templates', () => {
  it('fills {{variables}} and leaves unknown ones empty', () => {
    expect(render('工单 {{ticketNumber}}：{{ title }}{{nope}}', { ticketNumber: 'T1', title: '异响' })).toBe(
      '工单 T1：异响',
    );
    expect(placeholders('{{a}} {{b}} {{a}}')).toEqual(['a', 'b']);
  });

  it('ships both languages for every event, using only variables the event provides', () => {
    for (const [event, texts] of Object.entries(DEFAULT_TEMPLATES)) {
      const known = new Set(VARIABLES_OF[event as keyof typeof VARIABLES_OF]);
      for (const locale of ['zh-CN', 'en-US'] as const) {
        const used = [...placeholders(texts[locale].title), ...placeholders(texts[locale].body)];
        expect(
          used.filter((n) => !known.has(n)),
          `${event} ${locale}`,
        ).toEqual([]);
      }
      expect(texts['en-US'].title + texts['en-US'].body).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('quiet hours and retries', () => {
  const at = (shanghai: string) => new Date(`${shanghai}+08:00`);
  const night = { start: '22:00', end: '07:00' };

  it('holds a message until quiet hours end, across midnight, in Asia/Shanghai', () => {
    expect(quietUntil(at('2026-05-18T23:30:00'), night)).toEqual(at('2026-05-19T07:00:00'));
    expect(quietUntil(at('2026-05-19T03:10:00'), night)).toEqual(at('2026-05-19T07:00:00'));
    expect(quietUntil(at('2026-05-19T07:00:00'), night)).toBeNull();
    expect(quietUntil(at('2026-05-18T21:59:00'), night)).toBeNull();
    expect(quietUntil(at('2026-05-18T12:30:00'), { start: '12:00', end: '13:30' })).toEqual(at('2026-05-18T13:30:00'));
    expect(quietUntil(at('2026-05-18T12:30:00'), null)).toBeNull();
  });

  it('backs off exponentially with jitter, capped at two hours', () => {
    expect(retryDelayMs(1, () => 0)).toBe(15_000);
    expect(retryDelayMs(1, () => 1)).toBe(30_000);
    expect(retryDelayMs(4, () => 0.5)).toBe(180_000);
    expect(retryDelayMs(20, () => 1)).toBe(7_200_000);
    const spread = new Set(Array.from({ length: 20 }, () => retryDelayMs(3, Math.random)));
    expect(spread.size).toBeGreaterThan(1);
    for (const d of spread) expect(d).toBeGreaterThanOrEqual(60_000);
  });
});
