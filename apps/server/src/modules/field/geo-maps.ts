import { GeoMap, IdParams, UploadGeoMap } from '@serviceloop/contracts';
import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { FileStorage } from '../../platform/files/index';
import type { HttpApp } from '../../platform/http/app';
import { notFound } from '../../platform/http/errors';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import { type Access, eventActor, needs } from '../identity/index';
import { geoMaps } from './tables';

/** A province map is a few MB; a national county-level one about 20. */
export const GEO_MAP_LIMIT_BYTES = 30 * 1024 * 1024;

type GeoMapRow = typeof geoMaps.$inferSelect;
const present = (r: GeoMapRow): GeoMap => ({
  id: r.id,
  name: r.name,
  features: r.features,
  sizeBytes: r.sizeBytes,
  uploadedAt: r.uploadedAt.toISOString(),
});

/**
 * Boundary maps for the geographic view. None ship with ServiceLoop (the boundaries of China
 * that may be published are the ones an authority approved): an administrator uploads one, it is
 * validated as GeoJSON polygons with names and kept in file storage.
 */
export function geoMapRoutes(platform: Platform, access: Access, storage: FileStorage) {
  const tags = ['field'];
  return (app: HttpApp) => {
    app.get(
      '/geo-maps',
      { config: needs('dispatch', 'read'), schema: { tags, response: { 200: z.array(GeoMap) } } },
      async () => (await platform.db.select().from(geoMaps).orderBy(desc(geoMaps.uploadedAt))).map(present),
    );

    app.get(
      '/geo-maps/:id',
      { config: needs('dispatch', 'read'), schema: { tags, params: IdParams } },
      async (request, reply) => {
        const [row] = await platform.db.select().from(geoMaps).where(eq(geoMaps.id, request.params.id));
        if (!row) throw notFound('geo_map');
        const stored = await storage.get(row.storageKey);
        return reply.type('application/json').send(stored.body);
      },
    );

    app.post(
      '/geo-maps',
      {
        bodyLimit: GEO_MAP_LIMIT_BYTES,
        config: needs('settings', 'update'),
        schema: { tags, body: UploadGeoMap, response: { 201: GeoMap } },
      },
      async (request, reply) => {
        const { name, geojson } = request.body;
        const bytes = Buffer.from(JSON.stringify(geojson));
        const id = newId();
        const row: GeoMapRow = {
          id,
          name,
          storageKey: `geo/${id}.json`,
          features: geojson.features.length,
          sizeBytes: bytes.length,
          uploadedBy: access.actor(request).userId,
          uploadedAt: platform.clock.now(),
        };
        // Bytes first: a row never points at a file that isn't there; a failed insert removes them.
        await storage.put(row.storageKey, bytes, { contentType: 'application/json', sizeBytes: bytes.length });
        try {
          await platform.transaction(async (tx) => {
            await tx.insert(geoMaps).values(row);
            await platform.events.append(tx, {
              type: 'geo_map.uploaded',
              entityType: 'geo_map',
              entityId: id,
              actor: eventActor(access.actor(request)),
              data: { name, features: row.features },
            });
          });
        } catch (error) {
          await storage.delete(row.storageKey).catch(() => {});
          throw error;
        }
        return reply.status(201).send(present(row));
      },
    );

    app.delete(
      '/geo-maps/:id',
      { config: needs('settings', 'update'), schema: { tags, params: IdParams } },
      async (request, reply) => {
        const [row] = await platform.db.select().from(geoMaps).where(eq(geoMaps.id, request.params.id));
        if (!row) throw notFound('geo_map');
        await platform.transaction(async (tx) => {
          await tx.delete(geoMaps).where(eq(geoMaps.id, row.id));
          await platform.events.append(tx, {
            type: 'geo_map.deleted',
            entityType: 'geo_map',
            entityId: row.id,
            actor: eventActor(access.actor(request)),
          });
        });
        await storage.delete(row.storageKey).catch(() => {});
        return reply.status(204).send();
      },
    );
  };
}
