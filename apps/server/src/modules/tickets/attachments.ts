import { IdParams } from '@serviceloop/contracts';
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { type FileStorage, receiveUpload, sendAttachment, uploadOptions } from '../../platform/files/index';
import type { HttpApp } from '../../platform/http/app';
import { notFound } from '../../platform/http/errors';
import type { Platform } from '../../platform/index';
import { type Access, eventActor, needs } from '../identity/index';
import { type TicketService, ticketScope } from './service';
import { attachments } from './tables';

const Attachment = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    mimeType: z.string(),
    sizeBytes: z.number(),
    width: z.number().nullable(),
    height: z.number().nullable(),
    originalName: z.string(),
    visibility: z.enum(['internal', 'customer']),
    hasThumbnail: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'Attachment' });
type Row = typeof attachments.$inferSelect;

const present = (a: Row) => ({
  id: a.id,
  kind: a.kind,
  mimeType: a.mimeType,
  sizeBytes: a.sizeBytes,
  width: a.width,
  height: a.height,
  originalName: a.originalName,
  visibility: a.visibility as 'internal' | 'customer',
  hasThumbnail: !!a.thumbnailKey,
  createdAt: a.createdAt.toISOString(),
});

export function attachmentRoutes(platform: Platform, access: Access, service: TicketService, storage: FileStorage) {
  const tags = ['tickets'];
  /** The attachment and its ticket, if the caller may see both (customers: customer-visible only). */
  const visible = async (request: Parameters<Access['actor']>[0], id: string) => {
    const actor = access.actor(request);
    const [a] = await platform.db.select().from(attachments).where(eq(attachments.id, id));
    if (!a || (actor.roles.includes('customer') && a.visibility !== 'customer')) throw notFound('attachment');
    // Unclaimed (uploaded for a report form not yet sent): only its uploader sees it.
    if (a.ticketId === null) {
      if (a.uploadedBy !== actor.userId) throw notFound('attachment');
      return a;
    }
    await service.get(a.ticketId, ticketScope(request.grant!, actor), actor, false).catch(() => {
      throw notFound('attachment');
    });
    return a;
  };

  return (app: HttpApp) => {
    // For an attachment custom field: the file goes up while the report form is open; the ticket
    // that names its id in `fields` claims it when it is created (forms.claimAttachments).
    app.post(
      '/attachments',
      {
        config: needs('ticket', 'create'),
        schema: { tags, consumes: ['multipart/form-data'], response: { 201: Attachment } },
      },
      async (request, reply) => {
        const actor = access.actor(request);
        const { attachment: stored, fields } = await receiveUpload(request, uploadOptions(platform.config, storage));
        const row: Row = {
          ...stored,
          ticketId: null,
          visibility: fields.visibility === 'internal' ? 'internal' : 'customer',
          uploadedBy: actor.userId,
          createdAt: platform.clock.now(),
        };
        try {
          await platform.db.insert(attachments).values(row);
        } catch (error) {
          await Promise.all([
            storage.delete(row.storageKey),
            row.thumbnailKey ? storage.delete(row.thumbnailKey) : null,
          ]);
          throw error;
        }
        return reply.status(201).send(present(row));
      },
    );

    app.post(
      '/tickets/:id/attachments',
      {
        config: needs('ticket', 'read'),
        schema: { tags, params: IdParams, consumes: ['multipart/form-data'], response: { 201: Attachment } },
      },
      async (request, reply) => {
        const actor = access.actor(request);
        // Seeing the ticket is enough to add evidence to it (customers add photos too).
        await service.get(request.params.id, ticketScope(request.grant!, actor), actor, false);
        const { attachment: stored, fields } = await receiveUpload(request, uploadOptions(platform.config, storage));
        const visibility =
          actor.roles.includes('customer') || fields.visibility !== 'internal' ? 'customer' : 'internal';
        const row: Row = {
          ...stored,
          ticketId: request.params.id,
          visibility,
          uploadedBy: actor.userId,
          createdAt: platform.clock.now(),
        };
        try {
          await platform.transaction(async (tx) => {
            await tx.insert(attachments).values(row);
            await platform.events.append(tx, {
              type: 'ticket.attachment_added',
              entityType: 'ticket',
              entityId: request.params.id,
              actor: eventActor(actor),
              visibility,
              data: { attachmentId: row.id, kind: row.kind, name: row.originalName },
            });
          });
        } catch (error) {
          await Promise.all([
            storage.delete(row.storageKey),
            row.thumbnailKey ? storage.delete(row.thumbnailKey) : null,
          ]);
          throw error;
        }
        return reply.status(201).send(present(row));
      },
    );

    app.get(
      '/tickets/:id/attachments',
      { config: needs('ticket', 'read'), schema: { tags, params: IdParams, response: { 200: z.array(Attachment) } } },
      async (request) => {
        const actor = access.actor(request);
        await service.get(request.params.id, ticketScope(request.grant!, actor), actor, false);
        const customer = actor.roles.includes('customer');
        const list = await platform.db
          .select()
          .from(attachments)
          .where(
            and(
              eq(attachments.ticketId, request.params.id),
              customer ? eq(attachments.visibility, 'customer') : undefined,
            ),
          )
          .orderBy(asc(attachments.createdAt));
        return list.map(present);
      },
    );

    app.get(
      '/attachments/:id/content',
      {
        config: needs('ticket', 'read'),
        schema: { tags, params: IdParams, querystring: z.object({ inline: z.enum(['true', 'false']).optional() }) },
      },
      async (request, reply) => {
        const a = await visible(request, request.params.id);
        return sendAttachment(reply, storage, a as typeof a & { kind: 'image' | 'video' | 'document' }, {
          inline: request.query.inline === 'true',
        });
      },
    );

    app.get(
      '/attachments/:id/thumbnail',
      { config: needs('ticket', 'read'), schema: { tags, params: IdParams } },
      async (request, reply) => {
        const a = await visible(request, request.params.id);
        if (!a.thumbnailKey) throw notFound('attachment');
        return sendAttachment(reply, storage, a as typeof a & { kind: 'image' | 'video' | 'document' }, {
          inline: true,
          variant: 'thumbnail',
        });
      },
    );
  };
}
