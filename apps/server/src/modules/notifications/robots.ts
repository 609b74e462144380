import { createHmac } from 'node:crypto';

/**
 * Message formats and signatures of the group robots Chinese service teams use. Pure: given the
 * messages and the time, each returns the URL and JSON body to POST, and each reads the robot's
 * answer — a 200 whose `errcode`/`code` is not 0 is a failure (bad key, bad signature, rate limit).
 */
export type RobotKind = 'wecom' | 'dingtalk' | 'feishu';

export interface RobotMessage {
  title: string;
  body: string;
}

export interface RobotRequest {
  url: string;
  body: string;
}

/** WeCom markdown is capped at 4096 bytes, DingTalk's is larger but keep one budget for all. */
const MAX_BYTES = 4000;

/** One message, or a burst merged into one: a count, then each title and body under its own heading. */
export function mergedText(messages: RobotMessage[], heading: (n: number) => string): { title: string; text: string } {
  if (messages.length === 1)
    return { title: messages[0]!.title, text: `**${messages[0]!.title}**\n\n${messages[0]!.body}` };
  const title = heading(messages.length);
  const parts = messages.map((m) => `**${m.title}**\n${m.body}`);
  return { title, text: clip(`**${title}**\n\n${parts.join('\n\n---\n\n')}`) };
}

/** Cuts a text to the byte budget at a character boundary, saying that it was cut. */
export function clip(text: string, maxBytes = MAX_BYTES): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let cut = text;
  while (Buffer.byteLength(`${cut}…`) > maxBytes) cut = cut.slice(0, Math.floor(cut.length * 0.9));
  return `${cut}…`;
}

/** DingTalk: sign = base64(HMAC-SHA256(key = secret, `${timestamp}\n${secret}`)), URL-encoded, timestamp in ms. */
export function dingTalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/** Feishu/Lark: sign = base64(HMAC-SHA256(key = `${timestamp}\n${secret}`, empty message)), timestamp in seconds. */
export function feishuSign(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

export function robotRequest(
  kind: RobotKind,
  url: string,
  secret: string | null,
  message: { title: string; text: string },
  now: Date,
): RobotRequest {
  switch (kind) {
    case 'wecom':
      return { url, body: JSON.stringify({ msgtype: 'markdown', markdown: { content: clip(message.text) } }) };
    case 'dingtalk': {
      let signed = url;
      if (secret) {
        const timestamp = now.getTime();
        const u = new URL(url);
        u.searchParams.set('timestamp', String(timestamp));
        u.searchParams.set('sign', dingTalkSign(secret, timestamp));
        signed = u.toString();
      }
      return {
        url: signed,
        body: JSON.stringify({ msgtype: 'markdown', markdown: { title: message.title, text: clip(message.text) } }),
      };
    }
    case 'feishu': {
      const timestamp = Math.floor(now.getTime() / 1000);
      const signature = secret ? { timestamp: String(timestamp), sign: feishuSign(secret, timestamp) } : {};
      return {
        url,
        body: JSON.stringify({
          ...signature,
          msg_type: 'post',
          content: {
            post: {
              zh_cn: {
                title: message.title,
                content: clip(message.text)
                  .split('\n')
                  .map((line) => [{ tag: 'text', text: line.replace(/\*\*/g, '') }]),
              },
            },
          },
        }),
      };
    }
  }
}

/** Reads a robot's answer: HTTP 2xx and a zero `errcode` (WeCom, DingTalk) or `code` (Feishu). */
export function robotAnswer(status: number, body: string): { ok: boolean; error: string | null } {
  if (status < 200 || status >= 300) return { ok: false, error: `HTTP ${status}` };
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, error: 'answer is not JSON' };
  }
  const code = parsed.errcode ?? parsed.code ?? parsed.StatusCode;
  if (code === undefined || Number(code) === 0) return { ok: true, error: null };
  const message = parsed.errmsg ?? parsed.msg ?? parsed.StatusMessage ?? '';
  return { ok: false, error: `robot error ${String(code)}: ${String(message).slice(0, 300)}` };
}
