/**
 * (Just over 400 lines: node rows, chat and series share one revision counter and one poll answer.)
 * What the admin tab shows, kept ready for its polls: node rows by revision (a poll returns only what changed since
 * the previous one), a bounded chat log of received and sent texts with their delivery status, and short telemetry
 * series for the detail charts. Pure: fed with mesh events and send statuses; no ioBroker, no I/O.
 *
 * Rows are built from the live node records at poll time, so the feed itself holds only numbers per node.
 */
import { LinkedMap } from '../mesh/linked-map';
import type { ChannelRecord, MeshEvent, NodeRecord, TextMessage } from '../mesh/types';
import { hexOf } from '../mesh/util';
import type { SendStatus } from '../send/types';

/** Column order of `TabPoll.rows`: arrays instead of objects keep a 10,000-node snapshot near 1.5 MB. */
export const TAB_ROW_COLUMNS = [
    'hex',
    'num',
    'longName',
    'shortName',
    'hwModel',
    'role',
    'presence',
    'lastHeard',
    'battery',
    'voltage',
    'snr',
    'rssi',
    'hops',
    'gateways',
    'viaMqtt',
    'lat',
    'lon',
    'accuracy',
    'neighbors',
] as const;

export type TabRow = (string | number | boolean | string[] | null)[];

export interface TabMessage {
    /** Stable key: `r:<from>:<id>` received, `s:<id>` sent (status updates reuse it). */
    key: string;
    /** `channel:<name>` or `dm:<peer hex>`. */
    conversation: string;
    fromHex: string;
    fromName: string;
    /** `!xxxxxxxx` or `broadcast`. */
    to: string;
    channel: string;
    text: string;
    /** Epoch ms. */
    time: number;
    own: boolean;
    status?: SendStatus['status'];
    error?: string;
    rxSnr?: number;
    hopsAway?: number;
    gateway?: string;
    viaMqtt?: boolean;
    encryption?: TextMessage['encryption'];
    /** An ALERT_APP text (shown highlighted). */
    alert?: true;
}

export interface TabPoll {
    /** Changes when the adapter restarts: a client holding another epoch must take the full answer. */
    epoch: number;
    rev: number;
    /** True: `rows` and `messages` are complete, drop what you have. */
    full: boolean;
    columns: readonly string[];
    rows: TabRow[];
    /** Hex ids of nodes removed since `since` (empty when `full`). */
    removed: string[];
    messages: TabMessage[];
    total: number;
}

/** The part of the mesh model the feed reads at poll time. */
export interface TabNodeSource {
    node(num: number): Readonly<NodeRecord> | undefined;
    nodes(): Iterable<Readonly<NodeRecord>>;
}

export interface TabFeedOptions {
    /** Our virtual node (0 = none): DMs to and from it are filed under the peer. */
    ownNodeNum: number;
    /** Chat log entries kept (oldest dropped first). */
    maxMessages?: number;
    /** Nodes with telemetry series (least recently updated dropped first). */
    maxSeriesNodes?: number;
    /** Points per metric series. */
    seriesPoints?: number;
    /** Removals remembered for deltas; a client further behind gets a full answer. */
    maxRemovals?: number;
    /** Epoch of this feed (default: now). */
    epoch?: number;
}

/** Metrics per node with a series; a node reporting more keeps the first ones it sent. */
export const MAX_SERIES_METRICS = 16;

interface MessageEntry {
    rev: number;
    message: TabMessage;
}

function round(value: number | undefined, digits: number): number | null {
    if (value === undefined || !Number.isFinite(value)) {
        return null;
    }
    const f = 10 ** digits;
    return Math.round(value * f) / f;
}

/** One table row of a node, in `TAB_ROW_COLUMNS` order. */
export function tabRow(node: Readonly<NodeRecord>): TabRow {
    const user = node.user;
    const radio = node.radio;
    const device = node.telemetry.device;
    const pos = node.position;
    const hasFix = pos?.latitude !== undefined && pos.longitude !== undefined;
    return [
        node.hex,
        node.num,
        user?.longName ?? '',
        user?.shortName ?? '',
        user?.hwModel ?? '',
        user?.role ?? '',
        node.presence,
        node.lastHeard,
        round(device?.batteryLevel, 0),
        round(device?.voltage, 2),
        round(radio?.snr, 2),
        round(radio?.rssi, 0),
        radio?.hopsAway ?? null,
        radio?.gatewayCount ?? null,
        radio?.viaMqtt ?? false,
        hasFix ? round(pos.latitude, 6) : null,
        hasFix ? round(pos.longitude, 6) : null,
        hasFix ? Math.round(pos.accuracyMeters) : null,
        (node.neighbors ?? []).map(n => hexOf(n.nodeId)),
    ];
}

export class TabFeed {
    readonly epoch: number;
    private rev = 0;
    /** Revision of each node's last change. */
    private readonly nodeRev = new Map<number, number>();
    /** Removed nodes by revision, oldest first; bounded. */
    private readonly removals = new LinkedMap<number, { num: number; rev: number }>();
    /** A delta from below this revision may miss removals that were dropped from `removals`. */
    private deltaFloor = 0;
    private readonly messages = new LinkedMap<string, MessageEntry>();
    private readonly series = new LinkedMap<number, Map<string, number[]>>();
    private readonly ownNodeNum: number;
    private readonly maxMessages: number;
    private readonly maxSeriesNodes: number;
    private readonly seriesPoints: number;
    private readonly maxRemovals: number;

    constructor(
        private readonly source: TabNodeSource,
        options: TabFeedOptions,
    ) {
        this.ownNodeNum = options.ownNodeNum >>> 0;
        this.maxMessages = Math.max(1, options.maxMessages ?? 500);
        this.maxSeriesNodes = Math.max(1, options.maxSeriesNodes ?? 1000);
        this.seriesPoints = Math.max(2, options.seriesPoints ?? 48);
        this.maxRemovals = Math.max(1, options.maxRemovals ?? 10_000);
        this.epoch = options.epoch ?? Date.now();
    }

    /** Takes over what the model restored at start: every node, its telemetry values and the text histories. */
    seed(channels: Iterable<Readonly<ChannelRecord>>): void {
        const rev = ++this.rev;
        for (const node of this.source.nodes()) {
            this.nodeRev.set(node.num, rev);
            // The restored values start the series (points are added when a value changes).
            for (const variant of Object.keys(node.telemetry)) {
                this.recordSeries(node, variant);
            }
        }
        const restored: TextMessage[] = [];
        for (const channel of channels) {
            restored.push(...channel.history);
        }
        // After a restart the channel records are empty; the senders' restored histories still hold the texts.
        for (const node of this.source.nodes()) {
            restored.push(...node.history);
        }
        restored.sort((a, b) => a.time - b.time);
        for (const message of restored) {
            this.putReceived(message, rev);
        }
    }

    apply(events: readonly MeshEvent[]): void {
        if (events.length === 0) {
            return;
        }
        const rev = ++this.rev;
        for (const event of events) {
            switch (event.type) {
                case 'node': {
                    this.nodeRev.set(event.node.num, rev);
                    this.removals.delete(event.node.num);
                    for (const section of event.sections) {
                        if (section.startsWith('telemetry.')) {
                            this.recordSeries(event.node, section.slice('telemetry.'.length));
                        }
                    }
                    break;
                }
                case 'nodeRemoved':
                    this.nodeRev.delete(event.num);
                    this.series.delete(event.num);
                    this.removals.delete(event.num);
                    this.removals.set(event.num, { num: event.num, rev });
                    while (this.removals.size > this.maxRemovals) {
                        const dropped = this.removals.shift();
                        if (dropped !== undefined) {
                            this.deltaFloor = Math.max(this.deltaFloor, dropped.rev);
                        }
                    }
                    break;
                case 'channelMessage':
                case 'directMessage':
                    this.putReceived(event.message, rev);
                    break;
                default:
                    break;
            }
        }
    }

    /** Our own texts: queued, sent, acked or failed. */
    onSendStatus(status: Readonly<SendStatus>): void {
        const rev = ++this.rev;
        const key = status.id !== 0 ? `s:${status.id}` : `s:0:${status.time}:${rev}`;
        const direct = status.to !== 'broadcast';
        const own = this.ownNodeNum ? hexOf(this.ownNodeNum) : '';
        const previous = this.messages.get(key)?.message;
        const message: TabMessage = {
            key,
            conversation: direct ? `dm:${status.to.replace(/^!/, '')}` : `channel:${status.channel}`,
            fromHex: own,
            fromName: '',
            to: status.to,
            channel: status.channel,
            text: status.text,
            // The bubble stays where it was first shown.
            time: previous?.time ?? status.time,
            own: true,
            status: status.status,
        };
        if (status.error !== undefined) {
            message.error = status.error;
        }
        this.putMessage(message, rev);
    }

    /** Everything changed since `since` of this `epoch`; a full answer when the client cannot be brought up to date. */
    poll(since: number, epoch: number): TabPoll {
        const full = epoch !== this.epoch || !(since > 0) || since > this.rev || since < this.deltaFloor;
        const rows: TabRow[] = [];
        for (const [num, rev] of this.nodeRev) {
            if (full || rev > since) {
                const node = this.source.node(num);
                if (node !== undefined) {
                    rows.push(tabRow(node));
                }
            }
        }
        const removed: string[] = [];
        if (!full) {
            for (const removal of this.removals.values()) {
                if (removal.rev > since) {
                    removed.push(hexOf(removal.num));
                }
            }
        }
        const messages: TabMessage[] = [];
        for (const entry of this.messages.values()) {
            if (full || entry.rev > since) {
                messages.push(entry.message);
            }
        }
        return {
            epoch: this.epoch,
            rev: this.rev,
            full,
            columns: TAB_ROW_COLUMNS,
            rows,
            removed,
            messages,
            total: this.nodeRev.size,
        };
    }

    /** Recent values per telemetry metric (`device.batteryLevel` → `[time ms, value][]`, oldest first). */
    seriesOf(num: number): Record<string, [number, number][]> {
        const out: Record<string, [number, number][]> = {};
        const metrics = this.series.get(num);
        if (metrics === undefined) {
            return out;
        }
        for (const [key, flat] of metrics) {
            const points: [number, number][] = [];
            for (let i = 0; i + 1 < flat.length; i += 2) {
                points.push([flat[i], flat[i + 1]]);
            }
            out[key] = points;
        }
        return out;
    }

    /** Chat log entries held (for tests and stats). */
    messageCount(): number {
        return this.messages.size;
    }

    private recordSeries(node: Readonly<NodeRecord>, variant: string): void {
        const values = node.telemetry[variant as keyof NodeRecord['telemetry']];
        if (values === undefined) {
            return;
        }
        let metrics = this.series.get(node.num);
        if (metrics === undefined) {
            metrics = new Map();
            this.series.set(node.num, metrics);
            while (this.series.size > this.maxSeriesNodes) {
                this.series.shift();
            }
        } else {
            this.series.touch(node.num);
        }
        const time = node.lastHeard;
        for (const key of Object.keys(values)) {
            const value = values[key];
            if (!Number.isFinite(value)) {
                continue;
            }
            const id = `${variant}.${key}`;
            let flat = metrics.get(id);
            if (flat === undefined) {
                if (metrics.size >= MAX_SERIES_METRICS) {
                    continue;
                }
                flat = [];
                metrics.set(id, flat);
            }
            if (flat.length >= 2 && flat[flat.length - 2] === time) {
                // The same report again (another variant of one packet): replace, do not add a point.
                flat[flat.length - 1] = value;
                continue;
            }
            flat.push(time, value);
            if (flat.length > 2 * this.seriesPoints) {
                flat.splice(0, flat.length - 2 * this.seriesPoints);
            }
        }
    }

    private putReceived(message: Readonly<TextMessage>, rev: number): void {
        const own = this.ownNodeNum;
        let peer = message.from;
        if (message.direct && message.from === own) {
            peer = message.to;
        }
        const entry: TabMessage = {
            key: `r:${message.from}:${message.id}`,
            conversation: message.direct ? `dm:${hexOf(peer)}` : `channel:${message.channel}`,
            fromHex: hexOf(message.from),
            fromName: message.fromName,
            to: message.direct ? `!${hexOf(message.to)}` : 'broadcast',
            channel: message.channel,
            text: message.text,
            time: message.time,
            own: false,
            viaMqtt: message.viaMqtt,
            gateway: message.gateway,
            encryption: message.encryption,
        };
        if (message.rxSnr !== undefined) {
            entry.rxSnr = message.rxSnr;
        }
        if (message.hopsAway !== undefined) {
            entry.hopsAway = message.hopsAway;
        }
        if (message.alert) {
            entry.alert = true;
        }
        this.putMessage(entry, rev);
    }

    private putMessage(message: TabMessage, rev: number): void {
        this.messages.delete(message.key);
        this.messages.set(message.key, { rev, message });
        while (this.messages.size > this.maxMessages) {
            this.messages.shift();
        }
    }
}
