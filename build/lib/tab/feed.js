"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TabFeed = exports.MAX_SERIES_METRICS = exports.TAB_ROW_COLUMNS = void 0;
exports.tabRow = tabRow;
/**
 * (Just over 400 lines: node rows, chat and series share one revision counter and one poll answer.)
 * What the admin tab shows, kept ready for its polls: node rows by revision (a poll returns only what changed since
 * the previous one), a bounded chat log of received and sent texts with their delivery status, and short telemetry
 * series for the detail charts. Pure: fed with mesh events and send statuses; no ioBroker, no I/O.
 *
 * Rows are built from the live node records at poll time, so the feed itself holds only numbers per node.
 */
const linked_map_1 = require("../mesh/linked-map");
const util_1 = require("../mesh/util");
/** Column order of `TabPoll.rows`: arrays instead of objects keep a 10,000-node snapshot near 1.5 MB. */
exports.TAB_ROW_COLUMNS = [
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
];
/** Metrics per node with a series; a node reporting more keeps the first ones it sent. */
exports.MAX_SERIES_METRICS = 16;
function round(value, digits) {
    if (value === undefined || !Number.isFinite(value)) {
        return null;
    }
    const f = 10 ** digits;
    return Math.round(value * f) / f;
}
/** One table row of a node, in `TAB_ROW_COLUMNS` order. */
function tabRow(node) {
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
        (node.neighbors ?? []).map(n => (0, util_1.hexOf)(n.nodeId)),
    ];
}
class TabFeed {
    source;
    epoch;
    rev = 0;
    /** Revision of each node's last change. */
    nodeRev = new Map();
    /** Removed nodes by revision, oldest first; bounded. */
    removals = new linked_map_1.LinkedMap();
    /** A delta from below this revision may miss removals that were dropped from `removals`. */
    deltaFloor = 0;
    messages = new linked_map_1.LinkedMap();
    series = new linked_map_1.LinkedMap();
    ownNodeNum;
    maxMessages;
    maxSeriesNodes;
    seriesPoints;
    maxRemovals;
    constructor(source, options) {
        this.source = source;
        this.ownNodeNum = options.ownNodeNum >>> 0;
        this.maxMessages = Math.max(1, options.maxMessages ?? 500);
        this.maxSeriesNodes = Math.max(1, options.maxSeriesNodes ?? 1000);
        this.seriesPoints = Math.max(2, options.seriesPoints ?? 48);
        this.maxRemovals = Math.max(1, options.maxRemovals ?? 10_000);
        this.epoch = options.epoch ?? Date.now();
    }
    /** Takes over what the model restored at start: every node, its telemetry values and the text histories. */
    seed(channels) {
        const rev = ++this.rev;
        for (const node of this.source.nodes()) {
            this.nodeRev.set(node.num, rev);
            // The restored values start the series (points are added when a value changes).
            for (const variant of Object.keys(node.telemetry)) {
                this.recordSeries(node, variant);
            }
        }
        const restored = [];
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
    apply(events) {
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
    onSendStatus(status) {
        const rev = ++this.rev;
        const key = status.id !== 0 ? `s:${status.id}` : `s:0:${status.time}:${rev}`;
        const direct = status.to !== 'broadcast';
        const own = this.ownNodeNum ? (0, util_1.hexOf)(this.ownNodeNum) : '';
        const previous = this.messages.get(key)?.message;
        const message = {
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
    poll(since, epoch) {
        const full = epoch !== this.epoch || !(since > 0) || since > this.rev || since < this.deltaFloor;
        const rows = [];
        for (const [num, rev] of this.nodeRev) {
            if (full || rev > since) {
                const node = this.source.node(num);
                if (node !== undefined) {
                    rows.push(tabRow(node));
                }
            }
        }
        const removed = [];
        if (!full) {
            for (const removal of this.removals.values()) {
                if (removal.rev > since) {
                    removed.push((0, util_1.hexOf)(removal.num));
                }
            }
        }
        const messages = [];
        for (const entry of this.messages.values()) {
            if (full || entry.rev > since) {
                messages.push(entry.message);
            }
        }
        return {
            epoch: this.epoch,
            rev: this.rev,
            full,
            columns: exports.TAB_ROW_COLUMNS,
            rows,
            removed,
            messages,
            total: this.nodeRev.size,
        };
    }
    /** Recent values per telemetry metric (`device.batteryLevel` → `[time ms, value][]`, oldest first). */
    seriesOf(num) {
        const out = {};
        const metrics = this.series.get(num);
        if (metrics === undefined) {
            return out;
        }
        for (const [key, flat] of metrics) {
            const points = [];
            for (let i = 0; i + 1 < flat.length; i += 2) {
                points.push([flat[i], flat[i + 1]]);
            }
            out[key] = points;
        }
        return out;
    }
    /** Chat log entries held (for tests and stats). */
    messageCount() {
        return this.messages.size;
    }
    recordSeries(node, variant) {
        const values = node.telemetry[variant];
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
        }
        else {
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
                if (metrics.size >= exports.MAX_SERIES_METRICS) {
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
    putReceived(message, rev) {
        const own = this.ownNodeNum;
        let peer = message.from;
        if (message.direct && message.from === own) {
            peer = message.to;
        }
        const entry = {
            key: `r:${message.from}:${message.id}`,
            conversation: message.direct ? `dm:${(0, util_1.hexOf)(peer)}` : `channel:${message.channel}`,
            fromHex: (0, util_1.hexOf)(message.from),
            fromName: message.fromName,
            to: message.direct ? `!${(0, util_1.hexOf)(message.to)}` : 'broadcast',
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
    putMessage(message, rev) {
        this.messages.delete(message.key);
        this.messages.set(message.key, { rev, message });
        while (this.messages.size > this.maxMessages) {
            this.messages.shift();
        }
    }
}
exports.TabFeed = TabFeed;
