import 'leaflet/dist/leaflet.css';
import type { MapTiles } from '@serviceloop/contracts';
import L from 'leaflet';
import { useEffect, useRef } from 'react';

/** The whole of China in view when nothing is placed yet. */
const CHINA: L.LatLngTuple = [35, 105];
/** A district fills the panel: the pin's error (its seat) is visible and draggable away. */
const PLACED_ZOOM = 12;
/** Tiles that neither load nor fail by then count as unreachable (a network that swallows requests). */
const TILE_PATIENCE_MS = 6000;

// Drawn in CSS: Leaflet's default marker images are resolved at run time, which bundlers break.
const pinIcon = L.divIcon({
  className: 'sl-pin',
  html: '<div style="width:22px;height:22px;border-radius:50% 50% 50% 0;background:#1677ff;border:2px solid #fff;transform:rotate(-45deg);box-shadow:0 1px 4px rgba(0,0,0,.4)"></div>',
  iconSize: [22, 22],
  iconAnchor: [11, 22],
});

/**
 * A map with one draggable pin (Leaflet, tiles from the configured server). Clicking the map moves
 * the pin too. When the tiles cannot be had — an intranet without internet — it says so once and
 * the picker shows its offline form instead of a grey panel.
 */
export default function PinMap({
  tiles,
  point,
  onMove,
  onTilesFailed,
}: {
  tiles: MapTiles;
  point: { lat: number; lng: number } | null;
  onMove: (lat: number, lng: number) => void;
  onTilesFailed: () => void;
}) {
  const holder = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const marker = useRef<L.Marker | null>(null);
  // The latest callbacks, so the map is built once and still calls the current ones.
  const callbacks = useRef({ onMove, onTilesFailed });
  callbacks.current = { onMove, onTilesFailed };

  useEffect(() => {
    if (!holder.current || !tiles.url) return;
    const m = L.map(holder.current, { attributionControl: true }).setView(CHINA, 4);
    let loaded = false;
    let failed = false;
    const fail = () => {
      if (loaded || failed) return;
      failed = true;
      callbacks.current.onTilesFailed();
    };
    L.tileLayer(tiles.url, { subdomains: tiles.subdomains, attribution: tiles.attribution, maxZoom: 18 })
      .on('tileload', () => {
        loaded = true;
      })
      .on('tileerror', fail)
      .addTo(m);
    const patience = setTimeout(fail, TILE_PATIENCE_MS);
    m.on('click', (e: L.LeafletMouseEvent) => callbacks.current.onMove(e.latlng.lat, e.latlng.lng));
    map.current = m;
    return () => {
      clearTimeout(patience);
      m.remove();
      map.current = null;
      marker.current = null;
    };
  }, [tiles.url, tiles.subdomains, tiles.attribution]);

  // The pin follows the value: a search result moves it, and the view with it.
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    if (!point) {
      marker.current?.remove();
      marker.current = null;
      return;
    }
    const at: L.LatLngTuple = [point.lat, point.lng];
    if (!marker.current) {
      marker.current = L.marker(at, { draggable: true, icon: pinIcon, keyboard: true })
        .on('dragend', (e) => {
          const ll = (e.target as L.Marker).getLatLng();
          callbacks.current.onMove(ll.lat, ll.lng);
        })
        .addTo(m);
      m.setView(at, Math.max(m.getZoom(), PLACED_ZOOM));
    } else if (!marker.current.getLatLng().equals(at, 1e-7)) {
      marker.current.setLatLng(at);
      if (!m.getBounds().contains(at)) m.setView(at, Math.max(m.getZoom(), PLACED_ZOOM));
    }
  }, [point]);

  return <div ref={holder} data-testid="pin-map" style={{ height: 240, width: '100%', borderRadius: 6 }} />;
}
