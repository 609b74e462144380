/**
 * Distances and travel times for planning. No road network here: the great-circle distance
 * times a detour factor, at an average urban-and-intercity speed — good enough to rank
 * engineers and compare plans, and stated as such on every screen that shows it.
 */
export interface Point {
  lat: number;
  lng: number;
}

const EARTH_RADIUS_KM = 6371.0088;
/** Roads are longer than the straight line; 1.3 is a common figure for Chinese cities and their hinterland. */
export const DETOUR_FACTOR = 1.3;
export const AVERAGE_SPEED_KMH = 40;
/** What a leg costs when either end has no coordinates (a site never geocoded). */
export const UNKNOWN_TRAVEL_MINUTES = 30;

const rad = (deg: number) => (deg * Math.PI) / 180;

/** The cosine of a latitude, which the optimiser keeps per place instead of recomputing per leg. */
export const cosLat = (lat: number) => Math.cos(rad(lat));

/**
 * Great-circle distance in kilometres (haversine) from raw coordinates and their latitudes'
 * cosines. The one formula both the planners' hot loops and `haversineKm` use, so a leg costs
 * the same to the bit wherever it is measured.
 */
export function haversineKmOf(aLat: number, aLng: number, aCos: number, bLat: number, bLng: number, bCos: number) {
  const dLat = rad(bLat - aLat);
  const dLng = rad(bLng - aLng);
  const sLat = Math.sin(dLat / 2);
  const sLng = Math.sin(dLng / 2);
  const h = sLat * sLat + aCos * bCos * sLng * sLng;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Great-circle distance in kilometres (haversine). */
export function haversineKm(a: Point, b: Point): number {
  return haversineKmOf(a.lat, a.lng, cosLat(a.lat), b.lat, b.lng, cosLat(b.lat));
}

/** Driving minutes for a great-circle distance. */
export const minutesForKm = (km: number) => (km * DETOUR_FACTOR * 60) / AVERAGE_SPEED_KMH;

/** Estimated driving minutes between two places; unknown places cost a flat half hour. */
export function travelMinutes(a: Point | null, b: Point | null): number {
  if (!a || !b) return UNKNOWN_TRAVEL_MINUTES;
  return minutesForKm(haversineKm(a, b));
}
