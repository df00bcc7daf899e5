/** The node details drawer: identity, position, radio, telemetry with sparklines, neighbours and its messages. */
import { clear, h, sparkline } from './dom';
import { clock, dateTime, fixed, METRIC_UNITS, metricLabel, relativeTime, type Translate } from './format';
import { displayName, type TabStore } from './store';

/** What `tabNode` answers (nodeSummary(node, true) of src/lib/states/mapping.ts plus series and history). */
export interface NodeDetailsAnswer {
    error?: string;
    node?: {
        id: string;
        hex: string;
        name: string;
        longName?: string;
        shortName?: string;
        hwModel?: string;
        role?: string;
        lastHeard: number;
        presence: string;
        details?: {
            firmware?: string;
            region?: string;
            modemPreset?: string;
            publicKey?: string;
            position?: {
                latitude?: number;
                longitude?: number;
                altitude?: number;
                accuracyMeters?: number;
                time?: number;
            };
            telemetry: Record<string, Record<string, number>>;
            radio?: {
                snr?: number;
                rssi?: number;
                hopsAway?: number;
                viaMqtt: boolean;
                gateway: string;
                gatewayCount: number;
            };
            neighbors?: { id: string; nodeId: number; snr: number }[];
            traceroute?: { time: number; towards: RouteHop[]; back: RouteHop[] };
            packets: number;
        };
    };
    series?: Record<string, [number, number][]>;
    history?: { text: string; time: number; fromName: string; channel: string; direct: boolean }[];
}

/** One hop of a traced route (see the adapter's `nodes.<hex>.traceroute.route`). */
export interface RouteHop {
    id: string;
    name?: string;
    snr?: number;
}

export interface DetailsActions {
    close(): void;
    showOnMap(hex: string): void;
    message(hex: string): void;
    select(hex: string): void;
}

export class NodeDetails {
    readonly element: HTMLElement;
    private readonly content: HTMLElement;
    hex = '';

    constructor(
        private readonly store: TabStore,
        private readonly t: Translate,
        private readonly language: string,
        private readonly actions: DetailsActions,
    ) {
        const closeButton = h(
            'button',
            { className: 'icon-button', 'data-testid': 'details-close', title: t('close') },
            '✕',
        );
        closeButton.addEventListener('click', () => actions.close());
        this.content = h('div', { className: 'details-content' });
        this.element = h(
            'aside',
            { className: 'details', 'data-testid': 'node-details', hidden: true },
            h('div', { className: 'details-close' }, closeButton),
            this.content,
        );
    }

    open(hex: string): void {
        this.hex = hex;
        this.element.hidden = false;
        this.element.dataset.node = hex;
    }

    hide(): void {
        this.hex = '';
        this.element.hidden = true;
        delete this.element.dataset.node;
    }

    render(answer: NodeDetailsAnswer): void {
        const node = answer.node;
        if (!node || node.hex !== this.hex) {
            return;
        }
        const t = this.t;
        const row = this.store.nodes.get(node.hex);
        const d = node.details;
        const now = Date.now();
        clear(this.content);
        const title = h(
            'div',
            { className: 'details-title' },
            h('span', { className: `dot presence-${node.presence}` }),
            h('h2', {}, row ? displayName(row) : node.longName || node.id),
            h('span', { className: 'muted' }, [node.shortName, node.id].filter(Boolean).join(' · ')),
        );
        const buttons = h('div', { className: 'details-actions' });
        if (row && row.lat !== null) {
            const b = h('button', { className: 'button' }, t('showOnMap'));
            b.addEventListener('click', () => this.actions.showOnMap(node.hex));
            buttons.appendChild(b);
        }
        if (this.store.canSend) {
            const b = h('button', { className: 'button', 'data-testid': 'details-dm' }, t('directMessage'));
            b.addEventListener('click', () => this.actions.message(node.hex));
            buttons.appendChild(b);
        }
        const facts = h('dl', { className: 'facts' });
        const fact = (label: string, value: string | undefined): void => {
            if (value) {
                facts.append(h('dt', {}, label), h('dd', {}, value));
            }
        };
        fact(t('hardware'), node.hwModel?.replace(/_/g, ' '));
        fact(t('role'), node.role);
        fact(t('firmware'), d?.firmware);
        fact(
            t('lastHeard'),
            `${relativeTime(node.lastHeard, now, this.language, t)} (${dateTime(node.lastHeard, this.language)})`,
        );
        fact(
            t('colPresence'),
            t(`presence_${node.presence === 'mqtt' || node.presence === 'rf' ? node.presence : 'offline'}`),
        );
        if (d?.position?.latitude !== undefined && d.position.longitude !== undefined) {
            fact(
                t('position'),
                `${d.position.latitude.toFixed(5)}, ${d.position.longitude.toFixed(5)}${
                    d.position.altitude !== undefined ? `, ${d.position.altitude} m` : ''
                }${d.position.accuracyMeters ? ` (${t('accuracy', Math.round(d.position.accuracyMeters))})` : ''}`,
            );
        }
        if (d?.radio) {
            const r = d.radio;
            fact(
                t('radio'),
                [
                    r.snr !== undefined ? `SNR ${fixed(r.snr, 1, ' dB')}` : '',
                    r.rssi !== undefined ? `RSSI ${r.rssi} dBm` : '',
                    r.hopsAway !== undefined ? `${r.hopsAway} ${t('hops')}` : '',
                    r.viaMqtt ? 'via MQTT' : '',
                ]
                    .filter(Boolean)
                    .join(' · '),
            );
            fact(t('gateway'), `${r.gateway} (${r.gatewayCount})`);
        }
        const telemetry = h('section', { className: 'details-section' }, h('h3', {}, t('telemetry')));
        const series = answer.series ?? {};
        const metricKeys = new Set<string>(Object.keys(series));
        for (const [variant, values] of Object.entries(d?.telemetry ?? {})) {
            for (const key of Object.keys(values)) {
                metricKeys.add(`${variant}.${key}`);
            }
        }
        if (metricKeys.size === 0) {
            telemetry.appendChild(h('p', { className: 'muted' }, t('noTelemetry')));
        } else {
            const grid = h('div', { className: 'metrics' });
            for (const key of [...metricKeys].sort()) {
                const [variant, name] = [key.slice(0, key.indexOf('.')), key.slice(key.indexOf('.') + 1)];
                const current = d?.telemetry?.[variant]?.[name];
                const points = series[key] ?? [];
                const unit = METRIC_UNITS[key] ?? '';
                const values = points.map(p => p[1]);
                grid.appendChild(
                    h(
                        'div',
                        { className: 'metric', 'data-metric': key },
                        h('div', { className: 'metric-name', title: key }, metricLabel(key)),
                        h(
                            'div',
                            { className: 'metric-value' },
                            current === undefined ? '–' : `${round(current)} ${unit}`,
                        ),
                        points.length > 0 ? sparkline(points) : null,
                        points.length > 1
                            ? h(
                                  'div',
                                  { className: 'metric-range muted' },
                                  `${round(Math.min(...values))} … ${round(Math.max(...values))} ${unit}`,
                              )
                            : null,
                    ),
                );
            }
            telemetry.appendChild(grid);
        }
        const neighbors = h('section', { className: 'details-section' }, h('h3', {}, t('neighbors')));
        const list = d?.neighbors ?? [];
        if (list.length) {
            const ul = h('ul', { className: 'neighbors' });
            for (const n of list) {
                const hex = n.id.replace('!', '');
                const other = this.store.nodes.get(hex);
                const link = h('a', { href: '#', 'data-node': hex }, other ? displayName(other) : n.id);
                link.addEventListener('click', e => {
                    e.preventDefault();
                    this.actions.select(hex);
                });
                ul.appendChild(h('li', {}, link, h('span', { className: 'muted' }, ` SNR ${fixed(n.snr, 1, ' dB')}`)));
            }
            neighbors.appendChild(ul);
        } else {
            neighbors.appendChild(h('p', { className: 'muted' }, '–'));
        }
        const route = this.routeSection(d?.traceroute, now);
        const messages = h('section', { className: 'details-section' }, h('h3', {}, t('messages')));
        const history = answer.history ?? [];
        if (history.length) {
            const ul = h('ul', { className: 'history' });
            for (const m of history.slice(-20).reverse()) {
                ul.appendChild(
                    h(
                        'li',
                        {},
                        h(
                            'span',
                            { className: 'muted' },
                            `${clock(m.time, this.language, now)} · ${m.direct ? t('directMessage') : m.channel}: `,
                        ),
                        m.text,
                    ),
                );
            }
            messages.appendChild(ul);
        } else {
            messages.appendChild(h('p', { className: 'muted' }, t('noMessages')));
        }
        this.content.append(title, buttons, facts, telemetry, neighbors, route, messages);
    }

    /** The last route traced to the node: one line each way, hop → hop with the SNR each hop received it with. */
    private routeSection(
        traceroute: { time: number; towards: RouteHop[]; back: RouteHop[] } | undefined,
        now: number,
    ): HTMLElement {
        const t = this.t;
        const section = h('section', { className: 'details-section', 'data-testid': 'route' }, h('h3', {}, t('route')));
        if (!traceroute) {
            section.appendChild(h('p', { className: 'muted' }, '–'));
            return section;
        }
        const line = (hops: RouteHop[]): string =>
            hops
                .map(hop => {
                    const row = this.store.nodes.get(hop.id.replace('!', ''));
                    const name = row ? displayName(row) : hop.name || hop.id;
                    return hop.snr === undefined ? name : `${name} (${fixed(hop.snr, 1, ' dB')})`;
                })
                .join(' → ');
        section.appendChild(h('p', { className: 'muted' }, clock(traceroute.time, this.language, now)));
        section.appendChild(h('p', {}, `${t('routeTowards')}: ${line(traceroute.towards)}`));
        if (traceroute.back.length > 1) {
            section.appendChild(h('p', {}, `${t('routeBack')}: ${line(traceroute.back)}`));
        }
        return section;
    }
}

function round(value: number): string {
    return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}
