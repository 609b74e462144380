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

/** Great-circle distance in kilometres (haversine). */
export function haversineKm(a: Point, b: Point): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Estimated driving minutes between two places; unknown places cost a flat half hour. */
export function travelMinutes(a: Point | null, b: Point | null): number {
  if (!a || !b) return UNKNOWN_TRAVEL_MINUTES;
  return (haversineKm(a, b) * DETOUR_FACTOR * 60) / AVERAGE_SPEED_KMH;
}
