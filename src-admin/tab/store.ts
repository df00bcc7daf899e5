/**
 * The tab's data, without DOM: node rows merged from the adapter's `tabPoll` answers, the chat log, and the
 * filter/sort of the node table. Kept pure so it is unit-tested in Node.
 */

/** What `tabPoll` answers (see src/lib/tab/feed.ts and the `tabPoll` command in src/main.ts). */
export interface PollAnswer {
    epoch: number;
    rev: number;
    full: boolean;
    columns: string[];
    rows: unknown[][];
    removed: string[];
    messages: ChatMessage[];
    total: number;
    ready?: boolean;
    connected?: boolean;
    mode?: string;
    canSend?: boolean;
    own?: { hex: string; id: string; longName: string };
    channels?: { name: string; canSend: boolean }[];
    tileUrl?: string;
    stats?: Record<string, number>;
    error?: string;
}

export type Presence = 'mqtt' | 'rf' | 'offline';

export interface NodeRow {
    hex: string;
    num: number;
    longName: string;
    shortName: string;
    hwModel: string;
    role: string;
    presence: Presence;
    lastHeard: number;
    battery: number | null;
    voltage: number | null;
    snr: number | null;
    rssi: number | null;
    hops: number | null;
    gateways: number | null;
    viaMqtt: boolean;
    lat: number | null;
    lon: number | null;
    accuracy: number | null;
    neighbors: string[];
}

export interface ChatMessage {
    key: string;
    conversation: string;
    fromHex: string;
    fromName: string;
    to: string;
    channel: string;
    text: string;
    time: number;
    own: boolean;
    status?: 'queued' | 'sent' | 'acked' | 'failed';
    error?: string;
    rxSnr?: number;
    hopsAway?: number;
    gateway?: string;
    viaMqtt?: boolean;
    encryption?: string;
    /** An alert (ALERT_APP), shown highlighted. */
    alert?: boolean;
}

export type SortKey =
    'name' | 'short' | 'hex' | 'hw' | 'presence' | 'lastHeard' | 'battery' | 'snr' | 'hops' | 'gateways';

export const SORT_KEYS: readonly SortKey[] = [
    'presence',
    'name',
    'short',
    'hex',
    'hw',
    'lastHeard',
    'battery',
    'snr',
    'hops',
    'gateways',
];

const PRESENCE_ORDER: Record<Presence, number> = { mqtt: 0, rf: 1, offline: 2 };

function str(value: unknown): string {
    return typeof value === 'string' ? value : '';
}

function num(value: unknown): number | null {
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A row array of the adapter, read by column name (robust against added columns). */
export function rowFromArray(columns: readonly string[], values: readonly unknown[]): NodeRow | undefined {
    const at = (name: string): unknown => {
        const i = columns.indexOf(name);
        return i >= 0 ? values[i] : undefined;
    };
    const hex = str(at('hex'));
    if (!/^[0-9a-f]{8}$/.test(hex)) {
        return undefined;
    }
    const presence = str(at('presence'));
    const neighbors = at('neighbors');
    return {
        hex,
        num: num(at('num')) ?? parseInt(hex, 16),
        longName: str(at('longName')),
        shortName: str(at('shortName')),
        hwModel: str(at('hwModel')),
        role: str(at('role')),
        presence: presence === 'mqtt' || presence === 'rf' ? presence : 'offline',
        lastHeard: num(at('lastHeard')) ?? 0,
        battery: num(at('battery')),
        voltage: num(at('voltage')),
        snr: num(at('snr')),
        rssi: num(at('rssi')),
        hops: num(at('hops')),
        gateways: num(at('gateways')),
        viaMqtt: at('viaMqtt') === true,
        lat: num(at('lat')),
        lon: num(at('lon')),
        accuracy: num(at('accuracy')),
        neighbors: Array.isArray(neighbors) ? neighbors.filter((n): n is string => typeof n === 'string') : [],
    };
}

/** What the user sees as the node's name: long name, else short name, else `!hex`. */
export function displayName(row: Pick<NodeRow, 'longName' | 'shortName' | 'hex'>): string {
    return row.longName || row.shortName || `!${row.hex}`;
}

/** Search by name, short name or (the last 4 digits of) the hex id; `!` is ignored. Empty matches all. */
export function matches(row: NodeRow, query: string): boolean {
    const q = query.trim().toLowerCase().replace(/^!/, '');
    if (q === '') {
        return true;
    }
    return row.hex.includes(q) || row.longName.toLowerCase().includes(q) || row.shortName.toLowerCase().includes(q);
}

function compareNullable(a: number | null, b: number | null): number {
    // Unknown values sort last in both directions (applied by the caller).
    if (a === null && b === null) {
        return 0;
    }
    if (a === null) {
        return 1;
    }
    if (b === null) {
        return -1;
    }
    return a - b;
}

function sortValue(row: NodeRow, key: SortKey): string | number | null {
    switch (key) {
        case 'name':
            return displayName(row).toLowerCase();
        case 'short':
            return row.shortName.toLowerCase();
        case 'hex':
            return row.hex.slice(4) + row.hex.slice(0, 4);
        case 'hw':
            return row.hwModel.toLowerCase();
        case 'presence':
            return PRESENCE_ORDER[row.presence];
        case 'lastHeard':
            return row.lastHeard;
        case 'battery':
            return row.battery;
        case 'snr':
            return row.snr;
        case 'hops':
            return row.hops;
        case 'gateways':
            return row.gateways;
    }
}

/** Sorted copy; ties fall back to the most recently heard first, then the id, so the order is stable. */
export function sortRows(rows: readonly NodeRow[], key: SortKey, dir: 'asc' | 'desc'): NodeRow[] {
    const sign = dir === 'asc' ? 1 : -1;
    const keyed = rows.map(row => ({ row, v: sortValue(row, key) }));
    keyed.sort((a, b) => {
        let c: number;
        if (typeof a.v === 'string' || typeof b.v === 'string') {
            const as = String(a.v ?? '');
            const bs = String(b.v ?? '');
            // Empty names last in both directions.
            c = as === '' && bs !== '' ? 1 : bs === '' && as !== '' ? -1 : sign * as.localeCompare(bs);
        } else if (a.v === null || b.v === null) {
            c = compareNullable(a.v, b.v);
        } else {
            c = sign * (a.v - b.v);
        }
        return c || b.row.lastHeard - a.row.lastHeard || (a.row.hex < b.row.hex ? -1 : a.row.hex > b.row.hex ? 1 : 0);
    });
    return keyed.map(k => k.row);
}

export interface Conversation {
    key: string;
    kind: 'channel' | 'dm';
    /** Channel name or peer hex. */
    target: string;
    canSend: boolean;
    lastTime: number;
    count: number;
}

/** Everything the tab knows, merged poll by poll. */
export class TabStore {
    readonly nodes = new Map<string, NodeRow>();
    readonly messages = new Map<string, ChatMessage>();
    epoch = 0;
    rev = 0;
    /** Bumped on every change of the node rows (views cache their sorted lists by it). */
    version = 0;
    /** Bumped on every change of the chat log. */
    chatVersion = 0;
    channels: { name: string; canSend: boolean }[] = [];
    canSend = false;
    own: PollAnswer['own'];
    connected = false;
    ready = false;
    mode = '';
    tileUrl = '';
    stats: Record<string, number> = {};
    /** Hex ids whose rows changed in the last applied poll (for incremental map updates). */
    lastChanged: string[] = [];
    lastRemoved: string[] = [];
    lastFull = false;

    /** Merges one answer; returns false for an answer that is not a poll (e.g. an error). */
    apply(answer: PollAnswer): boolean {
        if (!answer || typeof answer.rev !== 'number' || !Array.isArray(answer.rows)) {
            return false;
        }
        this.lastChanged = [];
        this.lastRemoved = [];
        this.lastFull = answer.full;
        if (answer.full) {
            this.nodes.clear();
            this.messages.clear();
            this.version++;
            this.chatVersion++;
        }
        for (const values of answer.rows) {
            const row = Array.isArray(values) ? rowFromArray(answer.columns, values) : undefined;
            if (row) {
                this.nodes.set(row.hex, row);
                this.lastChanged.push(row.hex);
            }
        }
        for (const hex of answer.removed ?? []) {
            if (this.nodes.delete(hex)) {
                this.lastRemoved.push(hex);
            }
        }
        if (this.lastChanged.length || this.lastRemoved.length) {
            this.version++;
        }
        for (const message of answer.messages ?? []) {
            if (message && typeof message.key === 'string') {
                this.messages.set(message.key, message);
                this.chatVersion++;
            }
        }
        this.epoch = answer.epoch;
        this.rev = answer.rev;
        this.channels = Array.isArray(answer.channels) ? answer.channels : this.channels;
        this.canSend = answer.canSend === true;
        this.own = answer.own;
        this.connected = answer.connected === true;
        this.ready = answer.ready === true;
        this.mode = answer.mode ?? this.mode;
        this.tileUrl = answer.tileUrl ?? this.tileUrl;
        this.stats = answer.stats ?? this.stats;
        return true;
    }

    /** Rows matching the search, sorted. */
    view(query: string, key: SortKey, dir: 'asc' | 'desc'): NodeRow[] {
        const rows: NodeRow[] = [];
        for (const row of this.nodes.values()) {
            if (matches(row, query)) {
                rows.push(row);
            }
        }
        return sortRows(rows, key, dir);
    }

    presenceCounts(): Record<Presence, number> {
        const counts: Record<Presence, number> = { mqtt: 0, rf: 0, offline: 0 };
        for (const row of this.nodes.values()) {
            counts[row.presence]++;
        }
        return counts;
    }

    /** Channels first (configured order), then direct conversations by their latest message. */
    conversations(): Conversation[] {
        const byKey = new Map<string, Conversation>();
        for (const channel of this.channels) {
            byKey.set(`channel:${channel.name}`, {
                key: `channel:${channel.name}`,
                kind: 'channel',
                target: channel.name,
                canSend: channel.canSend,
                lastTime: 0,
                count: 0,
            });
        }
        for (const message of this.messages.values()) {
            let conversation = byKey.get(message.conversation);
            if (!conversation) {
                const [kind, ...rest] = message.conversation.split(':');
                const target = rest.join(':');
                conversation = {
                    key: message.conversation,
                    kind: kind === 'dm' ? 'dm' : 'channel',
                    target,
                    canSend: kind === 'dm' ? this.canSend && /^[0-9a-f]{8}$/.test(target) : false,
                    lastTime: 0,
                    count: 0,
                };
                byKey.set(message.conversation, conversation);
            }
            conversation.count++;
            conversation.lastTime = Math.max(conversation.lastTime, message.time);
        }
        const channels = [...byKey.values()].filter(c => c.kind === 'channel');
        const dms = [...byKey.values()].filter(c => c.kind === 'dm').sort((a, b) => b.lastTime - a.lastTime);
        return [...channels, ...dms];
    }

    /** A direct conversation with a node, offered even before a message was exchanged. */
    dmConversation(hex: string): Conversation {
        return {
            key: `dm:${hex}`,
            kind: 'dm',
            target: hex,
            canSend: this.canSend,
            lastTime: 0,
            count: 0,
        };
    }

    /** Messages of one conversation, oldest first. */
    conversationMessages(key: string): ChatMessage[] {
        return [...this.messages.values()].filter(m => m.conversation === key).sort((a, b) => a.time - b.time);
    }
}
