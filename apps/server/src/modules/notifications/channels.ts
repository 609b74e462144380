import type { DeliveryChannel } from '@serviceloop/contracts';
import type { FastifyBaseLogger } from 'fastify';
import nodemailer from 'nodemailer';
import { type OutboundGuard, OutboundRefused, postPinned, redactUrl } from './outbound';
import { mergedText, type RobotKind, robotAnswer, robotRequest } from './robots';
import type { notificationDeliveries, notificationEndpoints } from './tables';
import { webhookHeaders } from './webhooks';

export type DeliveryRow = typeof notificationDeliveries.$inferSelect;
export type EndpointRow = typeof notificationEndpoints.$inferSelect;

export interface SendResult {
  ok: boolean;
  status: number | null;
  error: string | null;
  /** Retrying cannot help (refused by the SSRF guard, mailbox rejected): give up now. */
  permanent?: boolean;
}

/**
 * One way out. Every channel takes a batch — one delivery, or for robots a burst merged into one
 * message — and reports one outcome for it. A channel never throws: whatever goes wrong is a
 * failed result, so one broken channel can't stop the worker or the other channels.
 */
export interface Channel {
  send(batch: DeliveryRow[], endpoint: EndpointRow | null, now: Date): Promise<SendResult>;
}

const failure = (error: unknown): SendResult =>
  error instanceof OutboundRefused
    ? { ok: false, status: null, error: error.message, permanent: true }
    : { ok: false, status: null, error: String((error as Error)?.message ?? error).slice(0, 500) };

/** Email through SMTP (nodemailer). Without SMTP_URL every email fails permanently, visibly in the log. */
export function emailChannel(smtpUrl: string | undefined, from: string): Channel & { close(): void } {
  const transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : null;
  return {
    async send([delivery]) {
      if (!transport) return { ok: false, status: null, error: 'SMTP_URL is not configured', permanent: true };
      try {
        const info = await transport.sendMail({
          from,
          to: delivery!.address,
          subject: delivery!.title,
          text: delivery!.body,
          // The weekly digest carries an HTML part beside the text one.
          html: typeof delivery!.payload?.html === 'string' ? delivery!.payload.html : undefined,
          headers: { 'X-ServiceLoop-Message-Id': delivery!.messageId },
        });
        const rejected = (info.rejected ?? []).length > 0;
        return rejected
          ? { ok: false, status: 550, error: `rejected: ${String(info.response)}`, permanent: true }
          : { ok: true, status: 250, error: null };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode ?? null;
        // 5xx from the server is a permanent refusal (no such mailbox); 4xx and network errors may pass later.
        return { ...failure(error), status: code, permanent: code !== null && code >= 500 };
      }
    },
    close: () => transport?.close(),
  };
}

/** SMS goes through a provider (Aliyun, Tencent Cloud …) behind this interface. */
export interface SmsProvider {
  send(phone: string, text: string): Promise<{ ok: boolean; error?: string }>;
}

/** The provider a fresh installation has: it writes the message to the log (number masked). */
export function loggingSmsProvider(log: FastifyBaseLogger): SmsProvider & { sent: { phone: string; text: string }[] } {
  const sent: { phone: string; text: string }[] = [];
  return {
    sent,
    async send(phone, text) {
      sent.push({ phone, text });
      log.info(
        { phone: phone.replace(/^(\+?\d{3})\d+(\d{4})$/, '$1****$2'), chars: text.length },
        'sms (logging provider)',
      );
      return { ok: true };
    },
  };
}

export function smsChannel(provider: SmsProvider): Channel {
  return {
    async send([delivery]) {
      try {
        const result = await provider.send(delivery!.address, `${delivery!.title}\n${delivery!.body}`);
        return result.ok
          ? { ok: true, status: null, error: null }
          : { ok: false, status: null, error: result.error ?? 'failed' };
      } catch (error) {
        return failure(error);
      }
    },
  };
}

/** WeCom, DingTalk and Feishu robots: a burst arrives merged into one message. */
export function robotChannel(kind: RobotKind, guard: OutboundGuard): Channel {
  return {
    async send(batch, endpoint, now) {
      if (!endpoint) return { ok: false, status: null, error: 'endpoint missing', permanent: true };
      try {
        const zh = batch.every((d) => /[\u4e00-\u9fff]/.test(d.title));
        const message = mergedText(
          batch.map((d) => ({ title: d.title, body: d.body })),
          (n) => (zh ? `${n} 条新通知` : `${n} new notifications`),
        );
        const request = robotRequest(kind, endpoint.url, endpoint.secret, message, now);
        const target = await guard.pin(request.url);
        const response = await postPinned(target, request.body, {});
        const answer = robotAnswer(response.status, response.body);
        return { ok: answer.ok, status: response.status, error: answer.error };
      } catch (error) {
        return failure(error);
      }
    },
  };
}

/** Signed outbound webhook: the JSON payload built at fan-out, the same webhook-id on every attempt. */
export function webhookChannel(guard: OutboundGuard): Channel {
  return {
    async send([delivery], endpoint, now) {
      if (!endpoint?.secret) return { ok: false, status: null, error: 'endpoint missing', permanent: true };
      try {
        const body = JSON.stringify(delivery!.payload);
        const target = await guard.pin(endpoint.url);
        const response = await postPinned(
          target,
          body,
          webhookHeaders(endpoint.secret, delivery!.messageId, now, body),
        );
        const ok = response.status >= 200 && response.status < 300;
        return {
          ok,
          status: response.status,
          error: ok
            ? null
            : response.status >= 300 && response.status < 400
              ? `redirect not followed (HTTP ${response.status})`
              : `HTTP ${response.status}`,
        };
      } catch (error) {
        return failure(error);
      }
    },
  };
}

export type Channels = Record<DeliveryChannel, Channel>;

/** For logs: which endpoint, never its credentials. */
export const describeEndpoint = (endpoint: EndpointRow | null) =>
  endpoint ? `${endpoint.kind} ${endpoint.name} ${redactUrl(endpoint.url)}` : '-';
