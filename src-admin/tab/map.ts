/**
 * The map: one circle marker per node with a position, coloured by presence, clustered (10,000 nodes stay fluid);
 * precision circles and neighbour links only for what is in view and not clustered, so they never flood the map.
 */
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import 'leaflet.markercluster/dist/MarkerCluster.Default.css';
import L from './leaflet-global';
import 'leaflet.markercluster';
import { h } from './dom';
import type { Translate } from './format';
import { displayName, type NodeRow, type Presence, type TabStore } from './store';

const MAX_OVERLAYS = 600;
const PRESENCE_COLOURS: Record<Presence, string> = { mqtt: '#2e9d44', rf: '#2f6fdf', offline: '#d33a3a' };

export class MeshMap {
    readonly element: HTMLElement;
    private map?: L.Map;
    private cluster?: L.MarkerClusterGroup;
    private readonly overlays = L.layerGroup();
    private readonly markers = new Map<string, L.CircleMarker>();
    /** Presence per marker, read by the cluster icons. */
    private readonly presenceOf = new WeakMap<L.Layer, Presence>();
    private readonly toggle: HTMLInputElement;
    private readonly count: HTMLElement;
    private readonly mapElement: HTMLElement;
    private fitted = false;
    private syncedVersion = -1;
    private tileUrl = '';
    private tiles?: L.TileLayer;
    private selected = '';

    constructor(
        private readonly store: TabStore,
        private readonly t: Translate,
        private readonly onSelect: (hex: string) => void,
    ) {
        this.toggle = h('input', { type: 'checkbox', 'data-testid': 'neighbors-toggle' });
        this.toggle.addEventListener('change', () => this.drawOverlays());
        this.count = h('span', { className: 'count', 'data-testid': 'map-count' });
        this.mapElement = h('div', { id: 'map' });
        this.element = h(
            'section',
            { className: 'map-view' },
            h(
                'div',
                { className: 'toolbar' },
                h('label', { className: 'check' }, this.toggle, ` ${t('neighborLinks')}`),
                this.count,
                h(
                    'span',
                    { className: 'legend' },
                    ...(['mqtt', 'rf', 'offline'] as Presence[]).map(p =>
                        h(
                            'span',
                            { className: 'legend-item' },
                            h('span', { className: `dot presence-${p}` }),
                            t(`presence_${p}`),
                        ),
                    ),
                ),
            ),
            this.mapElement,
        );
    }

    /** Called when the view becomes visible (Leaflet needs a laid-out container). */
    show(): void {
        if (!this.map) {
            this.create();
        }
        this.map?.invalidateSize();
        // Polls that arrived while the map was hidden were not applied: reconcile with everything.
        this.sync(true);
    }

    get visible(): boolean {
        return this.map !== undefined && this.element.offsetParent !== null;
    }

    /** Brings the markers up to date with the store (incremental after a delta poll). */
    sync(reconcile = false): void {
        if (!this.map || !this.cluster) {
            return;
        }
        if (this.store.tileUrl && this.store.tileUrl !== this.tileUrl) {
            this.setTiles(this.store.tileUrl);
        }
        if (this.syncedVersion === this.store.version && !reconcile) {
            return;
        }
        // The store's version grows by one per poll with changes: a gap means polls this map has not seen.
        const missed = this.syncedVersion !== this.store.version - 1;
        const full = reconcile || missed || this.syncedVersion === -1 || this.store.lastFull;
        const changed = full ? [...this.store.nodes.keys()] : this.store.lastChanged;
        const toAdd: L.Layer[] = [];
        const toRemove: L.Layer[] = [];
        const recoloured: L.Layer[] = [];
        if (full) {
            for (const [hex, marker] of this.markers) {
                if (!this.store.nodes.has(hex)) {
                    toRemove.push(marker);
                    this.markers.delete(hex);
                }
            }
        }
        for (const hex of this.store.lastRemoved) {
            const marker = this.markers.get(hex);
            if (marker) {
                toRemove.push(marker);
                this.markers.delete(hex);
            }
        }
        for (const hex of changed) {
            const row = this.store.nodes.get(hex);
            const marker = this.markers.get(hex);
            if (!row || row.lat === null || row.lon === null) {
                if (marker) {
                    toRemove.push(marker);
                    this.markers.delete(hex);
                }
                continue;
            }
            if (marker) {
                const at = marker.getLatLng();
                if (at.lat !== row.lat || at.lng !== row.lon) {
                    // The cluster index only learns about a move through remove + add.
                    toRemove.push(marker);
                    marker.setLatLng([row.lat, row.lon]);
                    toAdd.push(marker);
                } else if (this.presenceOf.get(marker) !== row.presence) {
                    recoloured.push(marker);
                }
                this.style(marker, row);
            } else {
                const created = this.createMarker(row);
                this.markers.set(hex, created);
                toAdd.push(created);
            }
        }
        if (toRemove.length) {
            this.cluster.removeLayers(toRemove);
        }
        if (toAdd.length) {
            this.cluster.addLayers(toAdd);
        }
        if (recoloured.length) {
            // Cluster icons show the presence mix of their markers.
            this.cluster.refreshClusters(recoloured as unknown as L.Marker[]);
        }
        this.syncedVersion = this.store.version;
        this.count.textContent = this.t('withPosition', this.markers.size);
        this.count.dataset.count = String(this.markers.size);
        if (!this.fitted && this.markers.size > 0) {
            this.fitted = true;
            const bounds = this.cluster.getBounds();
            if (bounds.isValid()) {
                this.map.fitBounds(bounds.pad(0.2), { maxZoom: 13, animate: false });
            }
        }
        this.drawOverlays();
    }

    /** Centres a node (from the table or the details). */
    focus(hex: string): void {
        this.selected = hex;
        const marker = this.markers.get(hex);
        if (this.map && this.cluster && marker) {
            this.cluster.zoomToShowLayer(marker, () => this.drawOverlays());
        }
    }

    private create(): void {
        this.map = L.map(this.mapElement, { worldCopyJump: true, zoomControl: true, minZoom: 2, maxZoom: 19 }).setView(
            [30, 10],
            2,
        );
        this.cluster = L.markerClusterGroup({
            animate: false,
            chunkedLoading: true,
            showCoverageOnHover: false,
            maxClusterRadius: 50,
            disableClusteringAtZoom: 16,
            iconCreateFunction: cluster => this.clusterIcon(cluster),
        });
        this.map.addLayer(this.cluster);
        this.overlays.addTo(this.map);
        this.map.on('moveend zoomend', () => this.drawOverlays());
        this.cluster.on('animationend', () => this.drawOverlays());
    }

    /** A ring with the share of MQTT / RF / offline nodes around the count (colours as on the markers). */
    private clusterIcon(cluster: L.MarkerCluster): L.DivIcon {
        const counts: Record<Presence, number> = { mqtt: 0, rf: 0, offline: 0 };
        for (const marker of cluster.getAllChildMarkers()) {
            counts[this.presenceOf.get(marker) ?? 'offline']++;
        }
        const n = cluster.getChildCount();
        const a = (counts.mqtt / n) * 360;
        const b = a + (counts.rf / n) * 360;
        const size = n < 10 ? 34 : n < 100 ? 40 : n < 1000 ? 46 : 52;
        const ring =
            `conic-gradient(${PRESENCE_COLOURS.mqtt} 0deg ${a}deg, ${PRESENCE_COLOURS.rf} ${a}deg ${b}deg, ` +
            `${PRESENCE_COLOURS.offline} ${b}deg 360deg)`;
        return L.divIcon({
            html: `<div style="background:${ring}"><span>${n}</span></div>`,
            className: 'marker-cluster mesh-cluster',
            iconSize: L.point(size, size),
        });
    }

    private setTiles(url: string): void {
        if (!this.map) {
            return;
        }
        this.tiles?.remove();
        this.tileUrl = url;
        this.tiles = L.tileLayer(url, {
            maxZoom: 19,
            attribution: url.includes('openstreetmap.org')
                ? '&copy; <a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener">OpenStreetMap</a>'
                : '',
        }).addTo(this.map);
    }

    private createMarker(row: NodeRow): L.CircleMarker {
        const marker = L.circleMarker([row.lat ?? 0, row.lon ?? 0], {
            radius: 7,
            weight: 2,
            fillOpacity: 0.85,
            className: `node-marker presence-${row.presence}`,
        });
        marker.bindTooltip('', { direction: 'top', offset: [0, -6] });
        marker.on('click', () => this.onSelect(row.hex));
        this.style(marker, row);
        return marker;
    }

    private style(marker: L.CircleMarker, row: NodeRow): void {
        const colour = PRESENCE_COLOURS[row.presence];
        this.presenceOf.set(marker, row.presence);
        marker.setStyle({ color: '#ffffff', fillColor: colour });
        const element = marker.getElement();
        if (element) {
            element.setAttribute('class', `leaflet-interactive node-marker presence-${row.presence}`);
            element.setAttribute('data-node', row.hex);
        }
        (marker.options as L.PathOptions).className = `node-marker presence-${row.presence}`;
        marker.setTooltipContent(`${escapeHtml(displayName(row))} (!${row.hex})`);
    }

    /** Precision circles and (on demand) neighbour links for the markers shown unclustered in view. */
    private drawOverlays(): void {
        if (!this.map || !this.cluster) {
            return;
        }
        this.overlays.clearLayers();
        const bounds = this.map.getBounds().pad(0.1);
        const visible: NodeRow[] = [];
        for (const [hex, marker] of this.markers) {
            if (visible.length >= MAX_OVERLAYS) {
                break;
            }
            // A marker shown on its own (not inside a cluster) is on the map; clustered ones are not.
            if (!bounds.contains(marker.getLatLng()) || !this.map.hasLayer(marker)) {
                continue;
            }
            const row = this.store.nodes.get(hex);
            if (row) {
                visible.push(row);
                const el = marker.getElement();
                if (el) {
                    el.setAttribute('data-node', hex);
                }
            }
        }
        for (const row of visible) {
            if (row.accuracy && row.accuracy > 0 && row.lat !== null && row.lon !== null) {
                L.circle([row.lat, row.lon], {
                    radius: row.accuracy,
                    className: `precision-circle presence-${row.presence}`,
                    color: PRESENCE_COLOURS[row.presence],
                    weight: 1,
                    fillOpacity: row.hex === this.selected ? 0.15 : 0.06,
                    interactive: false,
                }).addTo(this.overlays);
            }
        }
        if (this.toggle.checked) {
            let lines = 0;
            for (const row of visible) {
                for (const neighbor of row.neighbors) {
                    const other = this.store.nodes.get(neighbor);
                    if (!other || other.lat === null || other.lon === null || row.lat === null || row.lon === null) {
                        continue;
                    }
                    if (lines++ > MAX_OVERLAYS * 2) {
                        return;
                    }
                    L.polyline(
                        [
                            [row.lat, row.lon],
                            [other.lat, other.lon],
                        ],
                        { className: 'neighbor-link', weight: 2, opacity: 0.7, dashArray: '4 4', interactive: false },
                    ).addTo(this.overlays);
                }
            }
        }
    }
}

function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}
