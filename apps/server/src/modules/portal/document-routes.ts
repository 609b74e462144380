import { IdParams, LabelQuery } from '@serviceloop/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { HttpApp } from '../../platform/http/app';
import { AppError, notFound } from '../../platform/http/errors';
import { publicUrl } from '../../platform/http/public-url';
import type { Platform } from '../../platform/index';
import type { Mailer } from '../../platform/mail';
import { chinaDate, devicesWithModel, warrantyStatus } from '../assets/index';
import { customerNames, findCustomer, findSite } from '../customers/index';
import { type Access, eventActor, needs, userNames } from '../identity/index';
import { findTicket, type TicketRow, ticketScope, visitsOfTicket } from '../tickets/index';
import { cjkFont, renderLabelSheet, renderServiceReport } from './documents';

const WARRANTY = { in_warranty: '保内', out_of_warranty: '保外', unknown: '未知' } as const;
const CHECKLIST = [
  ['functionalTest', '功能测试'],
  ['stressTest', '压力测试'],
  ['relatedPartsCheck', '相关部件检查'],
] as const;

/** Shanghai wall-clock time for a document, e.g. 2026-05-01 14:30. */
const chinaTime = (d: Date | null | undefined) =>
  d ? new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : '';

function sendPdf(reply: FastifyReply, pdf: Buffer, filename: string) {
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .header('cache-control', 'private, no-store')
    .send(pdf);
}

/** The service report (服务报告单) of a ticket the caller may see, as PDF, with its ticket. */
async function serviceReport(platform: Platform, t: TicketRow, font: { path: string; family?: string }) {
  const { db } = platform;
  const customer = t.customerId ? await findCustomer(db, t.customerId) : undefined;
  const site = t.siteId ? await findSite(db, t.siteId) : undefined;
  const [found] = t.deviceId ? await devicesWithModel(db, { ids: [t.deviceId] }) : [];
  const device = found && { d: found.device, modelName: found.model.name };
  const visitRows = await visitsOfTicket(db, t.id);
  const nameOf = await userNames(db, [t.assigneeId, ...visitRows.map((v) => v.engineerId)]);
  const resolution = (t.resolution ?? {}) as {
    diagnosis?: string | null;
    rootCause?: string;
    actionsTaken?: string;
    partsUsed?: { sku: string; name: string; quantity: number }[];
    labourMinutes?: number;
    travelMinutes?: number;
    checklist?: Record<string, boolean>;
  };
  const confirmation = (t.confirmation ?? null) as { signature?: string; confirmedAt?: string } | null;
  const signature = confirmation?.signature?.startsWith('data:image/png;base64,')
    ? Buffer.from(confirmation.signature.slice('data:image/png;base64,'.length), 'base64')
    : null;
  const pdf = await renderServiceReport(font, {
    number: t.number,
    customerName: customer?.name ?? '',
    contact: [t.contactName, t.contactPhone].filter(Boolean).join(' '),
    address: t.serviceAddress ?? site?.address ?? '',
    device: device
      ? {
          model: device.modelName,
          serialNumber: device.d.serialNumber,
          assetCode: device.d.assetCode ?? '',
          warranty: WARRANTY[warrantyStatus(device.d.warrantyEndsOn, chinaDate(t.reportedAt))],
        }
      : t.serialNumber
        ? { model: '', serialNumber: t.serialNumber, assetCode: t.assetCode ?? '', warranty: WARRANTY.unknown }
        : null,
    reportedAt: chinaTime(t.reportedAt),
    title: t.title,
    description: t.description,
    diagnosis: resolution.diagnosis || t.initialDiagnosis || '',
    rootCause: resolution.rootCause ?? '',
    actionsTaken: resolution.actionsTaken ?? '',
    partsUsed: resolution.partsUsed ?? [],
    labourMinutes: resolution.labourMinutes ?? null,
    travelMinutes: resolution.travelMinutes ?? null,
    checklist: CHECKLIST.map(([key, label]) => ({ label, passed: resolution.checklist?.[key] === true })),
    visits: visitRows.map(
      (v) =>
        `${nameOf.get(v.engineerId) ?? ''} ${chinaTime(v.checkedInAt ?? v.plannedStart)}–${chinaTime(v.checkedOutAt ?? v.plannedEnd).slice(11)}`,
    ),
    engineer: t.assigneeId ? (nameOf.get(t.assigneeId) ?? '') : '',
    csat: t.csat,
    confirmedAt: confirmation?.confirmedAt ? chinaTime(new Date(confirmation.confirmedAt)) : '',
    signaturePng: signature,
    printedAt: chinaTime(platform.clock.now()),
  });
  return pdf;
}

/** The service report of a ticket and QR label sheets for devices, as PDF. */
export function documentRoutes(platform: Platform, access: Access, mailer: Mailer) {
  const { db } = platform;
  const font = () => {
    const found = cjkFont();
    if (!found) throw new AppError(503, 'documents.font_missing');
    return found;
  };
  const visibleTicket = async (request: FastifyRequest<{ Params: { id: string } }>) => {
    const actor = access.actor(request);
    const t = await findTicket(db, request.params.id, { scope: ticketScope(request.grant!, actor) });
    if (!t) throw notFound('ticket');
    return t;
  };
  return (app: HttpApp) => {
    app.get(
      '/tickets/:id/service-report.pdf',
      { config: needs('ticket', 'read'), schema: { tags: ['portal'], params: IdParams } },
      async (request, reply) => {
        const t = await visibleTicket(request);
        const pdf = await serviceReport(platform, t, font());
        return sendPdf(reply, pdf, `服务报告单-${t.number}.pdf`);
      },
    );

    // The engineer sends the signed report to the customer's contact from the phone at the end of the visit.
    app.post(
      '/tickets/:id/service-report/send',
      {
        config: needs('ticket', 'read'),
        schema: {
          tags: ['portal'],
          params: IdParams,
          response: { 200: z.object({ sent: z.boolean(), to: z.string().nullable() }) },
        },
      },
      async (request) => {
        const t = await visibleTicket(request);
        if (!t.contactEmail) throw new AppError(422, 'documents.no_contact_email');
        const pdf = await serviceReport(platform, t, font());
        const sent = await mailer
          .send({
            to: t.contactEmail,
            subject: `服务报告单 ${t.number} / Service report`,
            text: `${t.contactName}，您好：\n\n附件为工单 ${t.number}（${t.title}）的服务报告单，请查收。\n\nAttached is the service report of ticket ${t.number}.`,
            attachments: [{ filename: `服务报告单-${t.number}.pdf`, content: pdf, contentType: 'application/pdf' }],
          })
          .catch((err) => {
            // A refusing mail server is the customer not getting it yet, not a broken request.
            platform.log.warn({ err }, 'service report mail failed');
            return false;
          });
        if (sent)
          await platform.transaction((tx) =>
            platform.events.append(tx, {
              type: 'ticket.service_report_sent',
              entityType: 'ticket',
              entityId: t.id,
              actor: eventActor(access.actor(request)),
              visibility: 'customer',
              data: { to: t.contactEmail },
            }),
          );
        return { sent, to: t.contactEmail };
      },
    );

    app.get(
      '/devices/labels.pdf',
      { config: needs('device', 'export'), schema: { tags: ['assets'], querystring: LabelQuery } },
      async (request, reply) => {
        const ids = [...new Set(request.query.ids.toLowerCase().split(','))];
        const found = await devicesWithModel(db, { ids }, { grant: request.grant!, actor: access.actor(request) });
        const owners = await customerNames(
          db,
          found.map((f) => f.device.customerId),
        );
        const rows = found.flatMap(({ device, model }) => {
          const customerName = owners.get(device.customerId);
          return customerName === undefined ? [] : [{ d: device, modelName: model.name, customerName }];
        });
        if (rows.length !== ids.length) throw notFound('device');
        // The QR code points at /portal/r/<asset code>: a device without one can't have a label yet.
        const missing = rows.filter((r) => !r.d.assetCode);
        if (missing.length)
          throw new AppError(422, 'portal.label_needs_asset_code', {
            serials: missing.map((m) => m.d.serialNumber).join(', '),
          });
        const order = new Map(ids.map((id, i) => [id, i]));
        rows.sort((a, b) => order.get(a.d.id)! - order.get(b.d.id)!);
        const base = publicUrl(platform.config, request);
        const pdf = await renderLabelSheet(
          font(),
          rows.map((r) => ({
            url: `${base}/portal/r/${encodeURIComponent(r.d.assetCode!)}`,
            assetCode: r.d.assetCode!,
            modelName: r.modelName,
            serialNumber: r.d.serialNumber,
            customerName: r.customerName,
          })),
          '设备二维码标签',
        );
        return sendPdf(reply, pdf, '设备二维码标签.pdf');
      },
    );
  };
}
