import { MapTiles, Place, PlaceQuery } from '@serviceloop/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { HttpApp } from '../../platform/http/app';
import { AppError } from '../../platform/http/errors';
import type { Platform } from '../../platform/index';
import { sitesMatching } from '../customers/index';
import { type Access, needs } from '../identity/index';
import { warehousesMatching } from '../parts/index';
import { type Division, divisionByCode, lookupDivisions } from './gazetteer';

/**
 * Finding a point by name for an engineer's home base or a customer's site, on a network that may
 * have no internet: divisions come from the gazetteer shipped with the code; the customer sites
 * and warehouses already in the system are offered beside them, as people know their own places.
 * Sites and warehouses come from their owners' faces.
 */

const divisionPlace = (d: Division): Place => ({
  kind: 'division',
  name: d.name,
  detail: d.path,
  regionCode: d.code,
  lat: d.lat,
  lng: d.lng,
  precision: d.precision,
});

export function placeRoutes(platform: Platform, access: Access) {
  const tags = ['field'];
  /** Whether the caller may see every site or warehouse: the lookup shows none it would have to filter. */
  const mayReadAll = async (request: FastifyRequest, resource: 'site' | 'warehouse') =>
    access.authorize(request, resource, 'read').then(
      (grant) => grant.scope === 'all',
      (error) => {
        if (error instanceof AppError && error.status === 403) return false;
        throw error;
      },
    );

  const knownSites = async (q: string, limit: number): Promise<Place[]> => {
    const found = await sitesMatching(platform.db, q, limit);
    return found.flatMap((s): Place[] => {
      const name = `${s.customer} · ${s.name}`;
      if (s.lat !== null && s.lng !== null)
        return [
          {
            kind: 'site',
            name,
            detail: s.address,
            regionCode: s.districtCode ?? s.cityCode,
            lat: s.lat,
            lng: s.lng,
            precision: 'exact',
          },
        ];
      // A site never placed on a map still has its division: it sits at that seat.
      const d = [s.districtCode, s.cityCode, s.provinceCode].map((c) => c && divisionByCode(c)).find(Boolean);
      return d ? [{ ...divisionPlace(d), kind: 'site', name, detail: s.address }] : [];
    });
  };

  const knownWarehouses = async (q: string, limit: number): Promise<Place[]> => {
    const found = await warehousesMatching(platform.db, q, limit);
    // A warehouse has a region, not a point: its name often says the city ("华南区域仓（广州）").
    return found.flatMap((w): Place[] => {
      const d = lookupDivisions(w.name, 1)[0] ?? (w.regionCode ? divisionByCode(w.regionCode) : undefined);
      return d ? [{ ...divisionPlace(d), kind: 'warehouse', name: w.name, detail: d.path }] : [];
    });
  };

  return (app: HttpApp) => {
    app.get(
      '/places',
      {
        config: needs('engineer', 'read'),
        schema: {
          tags,
          summary: 'Find a place by name or address (offline gazetteer, sites, warehouses)',
          querystring: PlaceQuery,
          response: { 200: z.array(Place) },
        },
      },
      async (request) => {
        const { q, limit } = request.query;
        const [sites, warehouses] = await Promise.all([
          mayReadAll(request, 'site').then((ok) => (ok ? knownSites(q, Math.min(5, limit)) : [])),
          mayReadAll(request, 'warehouse').then((ok) => (ok ? knownWarehouses(q, 3) : [])),
        ]);
        // Known places first (people search for their own), then divisions, within the limit.
        return [...sites, ...warehouses, ...lookupDivisions(q, limit).map(divisionPlace)].slice(0, limit);
      },
    );

    app.get(
      '/places/map-tiles',
      {
        config: needs('engineer', 'read'),
        schema: { tags, summary: 'Where the location picker draws its map from', response: { 200: MapTiles } },
      },
      async () => ({ ...platform.config.mapTiles, coordinateSystem: 'GCJ-02' as const }),
    );
  };
}
