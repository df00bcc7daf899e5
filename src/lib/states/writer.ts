/**
 * StateWriter: the only ioBroker-aware class of the adapter's data path.
 *
 * - creates every object once (known ids are cached, seeded from the DB at start in one call),
 * - writes a state only when its value changed (value cache seeded from the DB, bounded LRU),
 * - coalesces bursts (pending writes are a Map id → newest value),
 * - bounds DB calls in flight (`maxInFlight`); the rest waits in the pending map (backpressure),
 * - admission control for new nodes (`maxObjectBacklog`, `churnWindowMs`): while too many object creations/deletions
 *   are outstanding, or while new nodes appear so fast that the model would evict them again within seconds (a flood
 *   of node ids), a new node's tree is not queued; the node waits (a reference to its live record: no DB call, no
 *   queued value) and gets its tree and current values later, most recently heard first. A node evicted while it
 *   waits costs nothing at all,
 * - never throws to the caller: DB errors are logged (warn once per kind, then debug) and counted.
 */
import { AwaitingNodes } from './awaiting-nodes';
import type { MeshEvent, MeshStats, NodeRecord, NodeSection, UnknownChannelRecord } from '../mesh/types';
import type { SendStatus } from '../send/types';
import {
    allNodeSections,
    type Batch,
    channelBaseId,
    channelObjects,
    clientsBatch,
    connectionBatch,
    isNodeHex,
    messageBatch,
    nodeBaseId,
    nodeHead,
    nodeHexOf,
    nodeObjects,
    nodeStateValues,
    type ObjectEntry,
    restoreNodes,
    rootObjects,
    sectionHasData,
    sendStateTarget as parseSendStateTarget,
    type SendStateTarget,
    sendStatusBatch,
    type SendStatusTarget,
    type StateEntry,
    statsBatch,
} from './mapping';
import { NODE_SEND_STATES, ROOT, SEND_STATE_ID, SEND_STATUS_STATE_ID, type StateCommonSpec } from './table';

/** The log methods the writer uses. */
export interface StatesLog {
    debug(message: string): void;
    info(message: string): void;
    warn(message: string): void;
    error(message: string): void;
}

/** What the writer needs to know about an existing object (a subset of any ioBroker object). */
export interface StoredObject {
    type: string;
    common?: {
        name?: ioBroker.StringOrTranslated;
        type?: string;
        role?: string;
        unit?: string;
        states?: unknown;
    };
}

/** What the writer needs to know about an existing state. */
export interface StoredState {
    val: ioBroker.StateValue;
}

/**
 * The part of `ioBroker.Adapter` the writer uses; a real adapter instance satisfies it.
 * Ids passed in are relative to the namespace; ids returned by the two getters may be full (`meshtastic.0.x`).
 */
export interface StatesAdapter {
    readonly namespace: string;
    readonly log: StatesLog;
    setObjectNotExistsAsync(id: string, obj: ioBroker.SettableObject): Promise<unknown>;
    extendObjectAsync(id: string, objPart: ioBroker.PartialObject): Promise<unknown>;
    /**
     * Promise form (no callback). A plain value with `ack` rather than a state object: js-controller validates a
     * state object's every field before each write, which costs measurably at thousands of writes a second.
     */
    setState(id: string, value: ioBroker.StateValue, ack: boolean): Promise<unknown>;
    delObjectAsync(id: string, options: ioBroker.DelObjectOptions): Promise<unknown>;
    /** All folder/device/channel/state objects of the instance. */
    getAdapterObjectsAsync(): Promise<Record<string, StoredObject>>;
    getStatesAsync(pattern: string): Promise<Record<string, StoredState | null | undefined>>;
    /** Adapter timers (`this.setTimeout`), used by `flush(timeoutMs)` and the churn guard (see `churnWindowMs`). */
    setTimeout: (callback: () => void, ms: number) => ioBroker.Timeout | undefined;
    clearTimeout: (timer: ioBroker.Timeout | undefined) => void;
}

/**
 * Default bound of DB calls in flight. Every `setState` is four sequential DB round trips in js-controller 7 (object
 * read, state GET, SET, PUBLISH): at 64 the adapter still waited on the DB a fifth of the time; 128 measured 10–15 %
 * more writes a second in the bench (alternating runs, js-controller 7.1.1), 256 no better than 128.
 */
export const DEFAULT_MAX_IN_FLIGHT = 128;

export interface StateWriterOptions {
    /** DB calls (object + state) outstanding at most. Default `DEFAULT_MAX_IN_FLIGHT`. */
    maxInFlight?: number;
    /** Node cap of the mesh model; sizes the value cache. Default 1000. */
    maxNodes?: number;
    /** Explicit value cache size (default: maxNodes × 80 + 1000). */
    maxCachedValues?: number;
    /**
     * Object operations (creations and node deletions under way) above which the trees of NEW nodes are not queued
     * but wait (see the class comment); they are queued again while the backlog is below half of it. Default 500
     * (a quarter second of js-controller's object throughput: a larger queue only holds more pending object trees in
     * memory, measured +3 to +15 MB RSS in the flood bench at 2000, without creating objects any faster).
     */
    maxObjectBacklog?: number;
    /**
     * Churn guard: when at least `churnNewNodes` new nodes (default: a tenth of maxNodes, at least 10) appeared within
     * `churnWindowMs` (default 1000), a node would live less than about ten windows in a full model if that went on (a
     * flood of node ids): new nodes then wait for their objects whatever the backlog (most would be evicted again
     * before their tree is complete, and each such tree costs its creation and its deletion), and only nodes that kept
     * their place in the model for two windows get their objects meanwhile. When the rate falls, the waiting nodes are
     * queued as usual (most recently heard first).
     */
    churnWindowMs?: number;
    churnNewNodes?: number;
    /**
     * Our own node number (0 = none, the default). Only DMs addressed to it are written to `messages.direct`;
     * can be set later with `setOwnNodeNum`.
     */
    ownNodeNum?: number;
}

/** A valid node number as unsigned 32 bit, else 0 (none). */
function nodeNumOrZero(num: number | undefined): number {
    return typeof num === 'number' && Number.isInteger(num) && num > 0 && num <= 0xffffffff ? num >>> 0 : 0;
}

/** True for `channels.<id>.send(Status)` and `nodes.<hex>.send(Status)` (relative ids): command/status, no data. */
function isSendStateId(id: string): boolean {
    const levels = id.split('.');
    return (
        levels.length === 3 &&
        (levels[0] === ROOT.channels || levels[0] === ROOT.nodes) &&
        (levels[2] === SEND_STATE_ID || levels[2] === SEND_STATUS_STATE_ID)
    );
}

export interface StateWriterStats {
    /** Successful state writes. */
    writes: number;
    /** Successful setObjectNotExists calls. */
    objectsCreated: number;
    /** extendObject calls (device renames, role/unit upgrades of old objects). */
    objectsExtended: number;
    /** Node trees deleted. */
    objectsDeleted: number;
    /** Updates skipped because the value did not change. */
    unchanged: number;
    /** Failed DB calls. */
    errors: number;
    /** Values not yet written (pending, waiting for their object, in flight), plus nodes awaiting their objects. */
    backlog: number;
    /** New nodes whose objects are not queued yet (admission control); each counts once in `backlog`. */
    awaitingObjects: number;
    /** Object operations under way (creations queued or running, node deletions): what admission control bounds. */
    objectBacklog: number;
    inFlight: number;
    knownObjects: number;
    cachedValues: number;
}

type OpKind = 'setObjectNotExists' | 'extendObject' | 'delObject';
type ErrorKind = OpKind | 'setState' | 'seedObjects' | 'seedStates';

/** A node whose device (with this head) and the containers of `sections` exist. */
interface ReadyNode {
    head: readonly ObjectEntry[];
    sections: Set<NodeSection>;
}

/** True when every element of `part` is in `all` (no array built: this runs for every packet). */
function containsAll<T>(all: ReadonlySet<T>, part: ReadonlySet<T>): boolean {
    for (const item of part) {
        if (!all.has(item)) {
            return false;
        }
    }
    return true;
}

interface Op {
    kind: OpKind;
    id: string;
    /** Node the op belongs to; ops of a node removed meanwhile are dropped. */
    hex?: string;
    epoch: number;
    run: () => Promise<unknown>;
    done: (ok: boolean) => void;
}

/** FIFO with O(1) shift. */
class Queue<T> {
    private items: (T | undefined)[] = [];
    private head = 0;

    get length(): number {
        return this.items.length - this.head;
    }

    push(item: T): void {
        this.items.push(item);
    }

    shift(): T | undefined {
        if (this.head >= this.items.length) {
            return undefined;
        }
        const item = this.items[this.head];
        this.items[this.head++] = undefined;
        if (this.head > 1024 && this.head * 2 > this.items.length) {
            this.items = this.items.slice(this.head);
            this.head = 0;
        }
        return item;
    }

    drain(): T[] {
        const rest = this.items.slice(this.head).filter((i): i is T => i !== undefined);
        this.items = [];
        this.head = 0;
        return rest;
    }
}

/** Every node section: a new node's tree and values. */
const ALL_SECTIONS = allNodeSections();

/** Ids below these roots are owned by the writer alone; old objects there get role/unit upgrades. */
const UPGRADABLE_ROOTS = [`${ROOT.nodes}.`, `${ROOT.channels}.`];

function fingerprint(c: { type?: string; role?: string; unit?: string; states?: unknown } | undefined): string {
    if (!c) {
        return '';
    }
    return `${c.type ?? ''}|${c.role ?? ''}|${c.unit ?? ''}|${c.states === undefined ? '' : JSON.stringify(c.states)}`;
}

function nameText(name: ioBroker.StringOrTranslated | undefined): string | undefined {
    if (name === undefined) {
        return undefined;
    }
    return typeof name === 'string' ? name : name.en;
}

function parentOf(id: string): string | undefined {
    const dot = id.lastIndexOf('.');
    return dot > 0 ? id.slice(0, dot) : undefined;
}

function errorText(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}

export class StateWriter {
    private readonly maxInFlight: number;
    private readonly maxValues: number;
    /** Bound of `epochs`. */
    private readonly maxEpochs: number;
    private readonly maxNodes: number;
    /** Admission control: new nodes wait while `objectBacklog()` is at least `highWater`, ... */
    private readonly highWater: number;
    /** ... and waiting nodes are queued while it is below `lowWater` (until `highWater` again). */
    private readonly lowWater: number;
    /** New nodes whose objects are not queued yet (admission control). */
    private readonly awaiting = new AwaitingNodes();
    private admitting = false;
    private readonly churnWindowMs: number;
    /** Times of the last `churnNewNodes` new nodes (a ring; `arrivalNext` is the oldest once it is full). */
    private readonly arrivalTimes: number[] = [];
    private readonly churnNewNodes: number;
    private arrivalNext = 0;
    /** Re-checks admission while the churn guard holds nodes back (no event may come to do it). */
    private admitTimer: ioBroker.Timeout | undefined;

    /** Objects known to exist. */
    private readonly objects = new Set<string>();
    /** Per node hex: the head it was written with and the sections whose objects all exist (see writeNode). */
    private readonly readyNodes = new Map<string, ReadyNode>();
    /** Creations under way (id → resolves true when the object exists). */
    private readonly creating = new Map<string, Promise<boolean>>();
    /** Existing (seeded) state objects not yet compared with the table: id → fingerprint of type/role/unit/states. */
    private readonly seededCommons = new Map<string, string>();
    /** Device id → the name it has (or is getting). */
    private readonly deviceNames = new Map<string, string>();
    /** Last written or requested value per state (bounded, oldest dropped first). */
    private readonly values = new Map<string, ioBroker.StateValue>();
    /** Value the DB has (or will have once the write in flight lands) per state: a pending value equal to it is dropped. */
    private readonly written = new Map<string, ioBroker.StateValue>();
    /** Values to write, object exists (id → newest value). */
    private readonly pending = new Map<string, ioBroker.StateValue>();
    /** Ids of `pending` in arrival order (may hold stale ids, skipped when taken). */
    private readonly pendingOrder = new Queue<string>();
    /** Values whose object is being created. */
    private readonly waiting = new Map<string, ioBroker.StateValue>();
    /** Every id cached under a node, for removal. */
    private readonly nodeKeys = new Map<string, Set<string>>();
    /** Incremented when a node is removed; ops of older epochs are dropped. */
    private readonly epochs = new Map<string, number>();
    private readonly removals = new Map<string, Promise<void>>();
    private readonly ops = new Queue<Op>();
    private readonly inFlightStates = new Set<string>();
    /** Promises of DB calls in flight → id. */
    private readonly inFlightWork = new Map<Promise<void>, string>();
    private inFlight = 0;
    private idleWaiters: (() => void)[] = [];
    private readonly warned = new Set<ErrorKind>();
    private closed = false;
    /** See StateWriterOptions.ownNodeNum. */
    private ownNodeNum: number;
    /** Sanitised channel id level → configured channel name (first name wins when two sanitise alike). */
    private readonly channelNames = new Map<string, string>();
    private readonly count = {
        writes: 0,
        objectsCreated: 0,
        objectsExtended: 0,
        objectsDeleted: 0,
        unchanged: 0,
        errors: 0,
    };

    constructor(
        private readonly adapter: StatesAdapter,
        options: StateWriterOptions = {},
    ) {
        this.maxInFlight = Math.max(1, Math.floor(options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT));
        const maxNodes = Math.max(1, Math.floor(options.maxNodes ?? 1000));
        this.maxNodes = maxNodes;
        this.maxValues = Math.max(100, Math.floor(options.maxCachedValues ?? maxNodes * 80 + 1000));
        this.maxEpochs = maxNodes * 4 + 1000;
        this.highWater = Math.max(1, Math.floor(options.maxObjectBacklog ?? 500));
        this.lowWater = Math.max(1, Math.floor(this.highWater / 2));
        this.churnWindowMs = Math.max(1, Math.floor(options.churnWindowMs ?? 1000));
        this.churnNewNodes = Math.max(1, Math.floor(options.churnNewNodes ?? Math.max(10, Math.ceil(maxNodes / 10))));
        this.ownNodeNum = nodeNumOrZero(options.ownNodeNum);
    }

    // ---- Public API ------------------------------------------------------------------------------------------------

    /** Successful state writes so far. */
    get writes(): number {
        return this.count.writes;
    }

    /** Objects created so far. */
    get objectsCreated(): number {
        return this.count.objectsCreated;
    }

    /**
     * Seeds the object and value caches from the DB (one call each), creates the top-level skeleton, the objects of
     * the configured channels (incl. their `send`/`sendStatus` states) and the `send`/`sendStatus` states of every
     * stored node device, and returns the node records rebuilt from the stored states (for `MeshModel.restore`), only
     * for nodes whose device object exists. Stored `send`/`sendStatus` values are neither cached nor restored (a
     * pending user command is no data). Await it before the first update; never throws.
     */
    async init(channelNames: Iterable<string> = []): Promise<NodeRecord[]> {
        const prefix = `${this.adapter.namespace}.`;
        const rel = (id: string): string => (id.startsWith(prefix) ? id.slice(prefix.length) : id);
        try {
            const objects = await this.adapter.getAdapterObjectsAsync();
            for (const [fullId, obj] of Object.entries(objects)) {
                this.seedObject(rel(fullId), obj);
            }
        } catch (e) {
            this.fail('seedObjects', '*', e);
        }
        const nodeValues: [string, ioBroker.StateValue][] = [];
        try {
            const states = await this.adapter.getStatesAsync('*');
            for (const [fullId, state] of Object.entries(states)) {
                if (!state) {
                    continue;
                }
                const id = rel(fullId);
                if (isSendStateId(id)) {
                    continue; // send commands / send status: no data
                }
                const hex = nodeHexOf(id);
                if (hex !== undefined && this.objects.has(nodeBaseId(hex))) {
                    nodeValues.push([id, state.val]);
                }
                if (this.values.size < this.maxValues) {
                    this.rememberValue(id, state.val);
                    this.written.set(id, state.val);
                }
            }
        } catch (e) {
            this.fail('seedStates', '*', e);
        }
        this.applyBatch({ objects: rootObjects(), states: [] });
        this.ensureChannels(channelNames);
        this.ensureNodeSendStates();
        return restoreNodes(nodeValues);
    }

    /**
     * Applies mesh model events (the pipeline's sink): node changes, removals and texts.
     * Unknown-channel events are covered by `writeStats`.
     */
    apply(events: Iterable<MeshEvent>): void {
        for (const event of events) {
            switch (event.type) {
                case 'node':
                    if (event.isNew) {
                        this.noteNewNode();
                    }
                    if (!this.deferNode(event.node, event.isNew)) {
                        this.writeNode(event.node, event.isNew ? ALL_SECTIONS : event.sections);
                    }
                    break;
                case 'nodeRemoved':
                    void this.removeNode(event.hex);
                    break;
                case 'channelMessage':
                    this.rememberChannel(event.channel.name);
                    this.applyBatch(messageBatch(event));
                    break;
                case 'directMessage':
                    // messages.direct only for DMs to our own node; DMs between others show in the sender's node
                    this.applyBatch(messageBatch(event, this.ownNodeNum));
                    break;
                default:
                    break;
            }
        }
    }

    /**
     * Writes the given sections of a node (device and containers are created first). Once a node's device and the
     * containers of a section exist, later updates of that section skip the object entries altogether (most packets
     * touch nodes and sections seen before); a new name (a new head from the mapping) goes the full way again.
     */
    writeNode(node: Readonly<NodeRecord>, sections: ReadonlySet<NodeSection>): void {
        if (this.closed) {
            return;
        }
        const head = nodeHead(node);
        const ready = this.readyNodes.get(node.hex);
        const known = ready !== undefined && ready.head === head && containsAll(ready.sections, sections);
        const objects = known ? [] : nodeObjects(node, sections);
        this.applyBatch({ objects, states: nodeStateValues(node, sections) });
        if (!known && head !== undefined && objects.every(obj => this.objects.has(obj.id))) {
            const entry: ReadyNode = ready?.head === head ? ready : { head, sections: new Set() };
            // only sections whose containers exist: one without data yet gets its container with its first value
            sections.forEach(section => sectionHasData(node, section) && entry.sections.add(section));
            this.readyNodes.set(node.hex, entry);
        }
    }

    /**
     * Creates the channel objects of the configured channels with their `send`/`sendStatus` state objects (the data
     * states appear with the first text) and remembers the configured names for `channelNameForId`.
     */
    ensureChannels(names: Iterable<string>): void {
        const objects: ObjectEntry[] = [];
        const seen = new Set<string>();
        for (const name of names) {
            this.rememberChannel(name);
            for (const obj of channelObjects(name)) {
                if (!seen.has(obj.id)) {
                    seen.add(obj.id);
                    objects.push(obj);
                }
            }
        }
        this.applyBatch({ objects, states: [] });
    }

    /** Sets our own node number once known (after the identity was created); 0 or an invalid number = none. */
    setOwnNodeNum(num: number): void {
        this.ownNodeNum = nodeNumOrZero(num);
    }

    /**
     * Writes a send status: `<target>.sendStatus` (`channels.<name>.sendStatus` or `nodes.<hex>.sendStatus`) and
     * `messages.lastSent`, both on every call even if equal (event-like). Channel objects are created as needed (the
     * name is remembered for `channelNameForId`). A node target whose device object does not exist (nor is being
     * created), or an invalid hex, gets no per-node state, no device is created for it (that would leave an empty
     * node); `messages.lastSent` is written anyway. Like every state, statuses queued faster than the DB takes them
     * coalesce to the newest one.
     */
    writeSendStatus(status: Readonly<SendStatus>, target: SendStatusTarget): void {
        if (target.kind === 'channel') {
            this.rememberChannel(target.name);
            this.applyBatch(sendStatusBatch(status, target));
            return;
        }
        const base = isNodeHex(target.hex) ? nodeBaseId(target.hex) : undefined;
        const waiting = this.awaiting.delete(target.hex);
        if (waiting !== undefined) {
            this.writeNode(waiting, ALL_SECTIONS); // a node we talk to gets its objects now
        }
        const known = base !== undefined && (this.objects.has(base) || this.creating.has(base));
        this.applyBatch(sendStatusBatch(status, known ? target : undefined));
    }

    /** The configured channel name of a sanitised channel id level (`Long_Fast` → `Long.Fast`), if configured. */
    channelNameForId(idPart: string): string | undefined {
        return this.channelNames.get(idPart);
    }

    /**
     * The target of a writable `send` state (id relative to the namespace; a full `<namespace>.` id is accepted
     * too): `channels.<id>.send` of a configured channel (with its configured name) or `nodes.<hex>.send`.
     * Anything else, including channels that are not configured, gives undefined.
     */
    sendStateTarget(id: string): SendStateTarget | undefined {
        const prefix = `${this.adapter.namespace}.`;
        const relative = id.startsWith(prefix) ? id.slice(prefix.length) : id;
        return parseSendStateTarget(relative, part => this.channelNameForId(part));
    }

    /** `stats.*` (call on a timer; values are written only when they changed). */
    writeStats(stats: Readonly<MeshStats>, unknownChannels: readonly Readonly<UnknownChannelRecord>[]): void {
        this.applyBatch(statsBatch(stats, unknownChannels));
    }

    /** `info.connection`. */
    setConnected(connected: boolean): void {
        this.applyBatch(connectionBatch(connected));
    }

    /** `info.clients` (JSON array of MQTT client ids). */
    setClients(clients: readonly string[]): void {
        this.applyBatch(clientsBatch(clients));
    }

    /** Creates missing objects of the batch, then queues its changed values. */
    applyBatch(batch: Batch): void {
        if (this.closed) {
            return;
        }
        for (const obj of batch.objects) {
            this.ensureContainer(obj);
        }
        for (const state of batch.states) {
            this.queueState(state);
        }
        this.pump();
    }

    /**
     * Deletes `nodes.<hex>` recursively and forgets everything cached about it. Writes for the node that are still
     * queued are dropped; calls in flight are awaited first. Resolves when the deletion finished; never rejects.
     */
    async removeNode(hex: string): Promise<void> {
        if (this.closed || !isNodeHex(hex)) {
            return;
        }
        if (this.awaiting.delete(hex) !== undefined && !this.nodeKeys.has(hex)) {
            // Nothing of it was queued (a deletion of an earlier tree, if any, is under way already): no DB call.
            this.checkIdle();
            return;
        }
        const base = nodeBaseId(hex);
        this.forgetNode(hex);
        const inFlight = [...this.inFlightWork]
            .filter(([, id]) => id === base || id.startsWith(`${base}.`))
            .map(([p]) => p);
        const previous = this.removals.get(hex);
        const removal = (async (): Promise<void> => {
            await previous;
            await Promise.all(inFlight);
            await this.enqueueOp('delObject', base, () => this.adapter.delObjectAsync(base, { recursive: true }));
        })();
        this.removals.set(hex, removal);
        await removal;
        if (this.removals.get(hex) === removal) {
            this.removals.delete(hex);
        }
        this.checkIdle();
    }

    /**
     * A new epoch for a node (its queued ops become stale). The map is bounded: the oldest entries of nodes without
     * cached keys (nothing of theirs can be queued any more) are dropped, so a flood of node ids does not grow it.
     */
    private bumpEpoch(hex: string): void {
        const next = (this.epochs.get(hex) ?? 0) + 1;
        this.epochs.delete(hex);
        this.epochs.set(hex, next);
        if (this.epochs.size > this.maxEpochs) {
            for (const old of this.epochs.keys()) {
                if (this.epochs.size <= this.maxEpochs) {
                    break;
                }
                if (old !== hex && !this.nodeKeys.has(old) && !this.awaiting.has(old)) {
                    this.epochs.delete(old);
                }
            }
        }
    }

    /**
     * Forgets the caches of a node without touching the DB (e.g. after its objects were deleted from outside).
     * Its next update recreates the objects (a node awaiting its objects keeps waiting: it gets them anyway).
     */
    forgetNode(hex: string): void {
        this.bumpEpoch(hex);
        this.readyNodes.delete(hex);
        const keys = this.nodeKeys.get(hex);
        if (keys) {
            for (const id of keys) {
                this.objects.delete(id);
                this.values.delete(id);
                this.written.delete(id);
                this.pending.delete(id);
                this.waiting.delete(id);
                this.creating.delete(id);
                this.seededCommons.delete(id);
                this.deviceNames.delete(id);
            }
            this.nodeKeys.delete(hex);
        }
        this.checkIdle();
    }

    /**
     * Resolves once every queued object and value has been written (or failed), or after `timeoutMs` (then the rest
     * stays queued). Never rejects.
     */
    flush(timeoutMs?: number): Promise<void> {
        if (this.closed || this.isIdle()) {
            return Promise.resolve();
        }
        const idle = new Promise<void>(resolve => this.idleWaiters.push(resolve));
        if (timeoutMs === undefined) {
            return idle;
        }
        return new Promise<void>(resolve => {
            const timer = this.adapter.setTimeout(() => {
                this.adapter.log.debug(
                    `states: flush timed out after ${timeoutMs} ms, ${this.pendingCount()} values queued`,
                );
                resolve();
            }, timeoutMs);
            void idle.then(() => {
                this.adapter.clearTimeout(timer);
                resolve();
            });
        });
    }

    /**
     * Values not yet written: pending, waiting for their object, and in flight; plus one per node awaiting its objects
     * (admission control; its values are taken from its record when its objects are queued).
     */
    pendingCount(): number {
        return this.pending.size + this.waiting.size + this.inFlightStates.size + this.awaiting.size;
    }

    /** Node hexes that have a device object (seeded at start or created since). */
    knownNodeHexes(): string[] {
        const out: string[] = [];
        const prefix = `${ROOT.nodes}.`;
        for (const id of this.objects) {
            if (id.startsWith(prefix) && id.indexOf('.', prefix.length) < 0) {
                const hex = id.slice(prefix.length);
                if (isNodeHex(hex)) {
                    out.push(hex);
                }
            }
        }
        return out;
    }

    /** The last known value of a state (relative id), if cached. */
    cachedValue(id: string): ioBroker.StateValue | undefined {
        return this.values.get(id);
    }

    /** Counters for diagnostics (sendTo getStats, bench). */
    counters(): StateWriterStats {
        return {
            ...this.count,
            backlog: this.pendingCount(),
            awaitingObjects: this.awaiting.size,
            objectBacklog: this.objectBacklog(),
            inFlight: this.inFlight,
            knownObjects: this.objects.size,
            cachedValues: this.values.size,
        };
    }

    /** Stops writing: queued work is dropped, later calls are ignored, flush() resolves at once. */
    dispose(): void {
        this.closed = true;
        this.pending.clear();
        this.pendingOrder.drain();
        this.waiting.clear();
        this.awaiting.clear();
        if (this.admitTimer !== undefined) {
            this.adapter.clearTimeout(this.admitTimer);
            this.admitTimer = undefined;
        }
        for (const op of this.ops.drain()) {
            op.done(false);
        }
        this.resolveIdle();
    }

    // ---- Objects ---------------------------------------------------------------------------------------------------

    private rememberChannel(name: string): void {
        const part = channelBaseId(name).slice(ROOT.channels.length + 1);
        if (!this.channelNames.has(part)) {
            this.channelNames.set(part, name);
        }
    }

    /** `send`/`sendStatus` state objects of every node device known (seeded), for devices older than these states. */
    private ensureNodeSendStates(): void {
        const objects: ObjectEntry[] = [];
        for (const hex of this.knownNodeHexes()) {
            const base = nodeBaseId(hex);
            for (const spec of [NODE_SEND_STATES.send, NODE_SEND_STATES.status]) {
                objects.push({ id: `${base}.${spec.id}`, type: 'state', common: spec.common });
            }
        }
        this.applyBatch({ objects, states: [] });
    }

    private seedObject(id: string, obj: StoredObject): void {
        this.objects.add(id);
        this.trackNode(id);
        if (obj.type === 'device') {
            const name = nameText(obj.common?.name);
            if (name !== undefined) {
                this.deviceNames.set(id, name);
            }
        } else if (obj.type === 'state' && UPGRADABLE_ROOTS.some(root => id.startsWith(root))) {
            this.seededCommons.set(id, fingerprint(obj.common));
        }
    }

    private ensureContainer(entry: ObjectEntry): void {
        const { id } = entry;
        if (entry.type === 'state') {
            // a state object without a value (send command states): create once, upgrade an old one like data states
            if (this.objects.has(id)) {
                this.verifySeeded(id, entry.common);
            } else if (!this.creating.has(id)) {
                this.create(id, { type: 'state', common: { ...entry.common }, native: {} });
            }
            return;
        }
        if (entry.type === 'device') {
            const previous = this.deviceNames.get(id);
            this.deviceNames.set(id, entry.common.name);
            if (this.objects.has(id) && previous !== entry.common.name) {
                this.rename(id, entry.common.name);
            }
        }
        if (this.objects.has(id) || this.creating.has(id)) {
            return;
        }
        this.create(id, { type: entry.type, common: { ...entry.common }, native: {} });
    }

    private rename(id: string, name: string): void {
        void this.enqueueOp('extendObject', id, () => this.adapter.extendObjectAsync(id, { common: { name } }));
    }

    private create(id: string, obj: ioBroker.SettableObject): void {
        const hex = nodeHexOf(id);
        this.trackNode(id);
        const parentId = parentOf(id);
        const parent = parentId === undefined ? undefined : this.creating.get(parentId);
        const removal = hex === undefined ? undefined : this.removals.get(hex);
        const createdName = obj.type === 'device' ? nameText(obj.common.name) : undefined;
        const epoch = this.epochOf(id);
        const run = (): Promise<boolean> =>
            this.enqueueOp('setObjectNotExists', id, () => this.adapter.setObjectNotExistsAsync(id, obj), epoch);
        // after a removal of the node under way, and after the parent (a failed parent fails the child)
        const gate = removal ? (parent ? removal.then(() => parent) : removal.then(() => true)) : parent;
        const promise: Promise<boolean> = (gate ? gate.then(ok => (ok ? run() : false)) : run()).then(ok => {
            if (this.creating.get(id) !== promise) {
                return ok; // node removed meanwhile: nothing of this creation is current any more
            }
            this.creating.delete(id);
            if (ok && !this.closed) {
                this.objects.add(id);
                const wanted = this.deviceNames.get(id);
                if (createdName !== undefined && wanted !== undefined && wanted !== createdName) {
                    this.rename(id, wanted);
                }
            }
            if (this.waiting.has(id)) {
                const value = this.waiting.get(id) as ioBroker.StateValue;
                this.waiting.delete(id);
                if (ok) {
                    this.setPending(id, value);
                } else if (this.values.get(id) === value) {
                    this.values.delete(id); // retry with the next update
                }
            }
            this.pump();
            return ok;
        });
        this.creating.set(id, promise);
    }

    /** Brings an old object's type/role/unit/states in line with the table, once per start. */
    private verifySeeded(id: string, common: StateCommonSpec): void {
        const existing = this.seededCommons.get(id);
        if (existing === undefined) {
            return;
        }
        this.seededCommons.delete(id);
        if (existing === fingerprint(common)) {
            return;
        }
        const part: Partial<StateCommonSpec> = { type: common.type, role: common.role };
        if (common.unit !== undefined) {
            part.unit = common.unit;
        }
        if (common.states !== undefined) {
            part.states = common.states;
        }
        void this.enqueueOp('extendObject', id, () => this.adapter.extendObjectAsync(id, { common: part }));
    }

    // ---- Values ----------------------------------------------------------------------------------------------------

    private queueState(entry: StateEntry): void {
        const { id, value } = entry;
        // Only existing objects are seeded: no existence check needed first (most values arrive unchanged).
        if (this.seededCommons.size > 0) {
            this.verifySeeded(id, entry.common);
        }
        // (a cached value is never undefined: one lookup answers both "cached?" and "equal?")
        if (!entry.event && this.values.get(id) === value) {
            this.count.unchanged++;
            return;
        }
        const exists = this.objects.has(id);
        this.rememberValue(id, value);
        if (exists) {
            if (!entry.event && this.written.get(id) === value) {
                // The value went back to what the DB already holds before its change was written: nothing to write.
                this.pending.delete(id);
                this.count.unchanged++;
                return;
            }
            this.setPending(id, value);
            return;
        }
        this.waiting.set(id, value);
        if (!this.creating.has(id)) {
            this.create(id, { type: 'state', common: { ...entry.common }, native: {} });
        }
    }

    /**
     * Caches a value. Over the bound the oldest tenth of the cache is dropped in one sweep (an evicted state is merely
     * written once more on its next change).
     */
    private rememberValue(id: string, value: ioBroker.StateValue): void {
        const size = this.values.size;
        this.values.set(id, value);
        if (this.values.size === size) {
            return; // an update of a cached id: it is tracked under its node already
        }
        if (this.values.size > this.maxValues) {
            let drop = Math.max(1, Math.floor(this.maxValues / 10));
            for (const key of this.values.keys()) {
                this.values.delete(key);
                this.written.delete(key);
                if (--drop <= 0) {
                    break;
                }
            }
        }
        this.trackNode(id);
    }

    private trackNode(id: string): void {
        const hex = nodeHexOf(id);
        if (hex === undefined) {
            return;
        }
        let keys = this.nodeKeys.get(hex);
        if (!keys) {
            keys = new Set();
            this.nodeKeys.set(hex, keys);
        }
        keys.add(id);
    }

    // ---- Scheduling ------------------------------------------------------------------------------------------------

    /** Removal generation of the node an id belongs to (0 outside `nodes.`). */
    private epochOf(id: string): number {
        const hex = nodeHexOf(id);
        return hex === undefined ? 0 : (this.epochs.get(hex) ?? 0);
    }

    /**
     * Queues an object call. `epoch` is the node's removal generation when the call was decided; it is dropped if the
     * node was removed since (default: now).
     */
    private enqueueOp(
        kind: OpKind,
        id: string,
        run: () => Promise<unknown>,
        epoch = this.epochOf(id),
    ): Promise<boolean> {
        if (this.closed) {
            return Promise.resolve(false);
        }
        const hex = nodeHexOf(id);
        return new Promise<boolean>(resolve => {
            this.ops.push({ kind, id, hex, epoch, run, done: resolve });
            this.pump();
        });
    }

    private pump(): void {
        while (!this.closed && this.inFlight < this.maxInFlight) {
            const op = this.ops.shift();
            if (op) {
                this.runOp(op);
                continue;
            }
            const next = this.takePending();
            if (!next) {
                break;
            }
            this.runWrite(next[0], next[1]);
        }
        this.checkIdle();
    }

    // ---- Admission control -----------------------------------------------------------------------------------------

    /** Object creations under way plus node deletions under way. */
    private objectBacklog(): number {
        return this.creating.size + this.removals.size;
    }

    /** While new nodes appear fast (see `churnWindowMs`): the time the churn ends if no further new node comes. */
    private churnEnd(now: number): number | undefined {
        if (this.arrivalTimes.length < this.churnNewNodes) {
            return undefined;
        }
        const end = this.arrivalTimes[this.arrivalNext] + this.churnWindowMs;
        return end > now ? end : undefined;
    }

    private noteNewNode(): void {
        const now = Date.now();
        if (this.arrivalTimes.length < this.churnNewNodes) {
            this.arrivalTimes.push(now);
            return;
        }
        this.arrivalTimes[this.arrivalNext] = now;
        this.arrivalNext = (this.arrivalNext + 1) % this.churnNewNodes;
    }

    /**
     * True when the node waits for its objects instead of being written now: a node already waiting (its record is
     * live: the update is in it), or a new node while the object backlog is high, others wait, or new nodes churn.
     * Only nodes the writer knows nothing of (no object, no queued call) are held back, so dropping one later needs no
     * DB call.
     */
    private deferNode(node: Readonly<NodeRecord>, isNew: boolean): boolean {
        const now = Date.now();
        if (this.awaiting.has(node.hex)) {
            this.awaiting.set(node, now); // the newest record, moved to the front when heard since
            return true;
        }
        if (
            !isNew ||
            this.closed ||
            this.awaiting.size >= this.maxNodes ||
            !isNodeHex(node.hex) ||
            this.nodeKeys.has(node.hex) ||
            (this.awaiting.size === 0 && this.objectBacklog() < this.highWater && this.churnEnd(now) === undefined)
        ) {
            return false;
        }
        this.awaiting.set(node, now);
        this.admit(); // queues it at once if nothing holds it back, else makes sure a timer looks again
        return true;
    }

    /**
     * Queues waiting nodes with their current values while the object backlog is low: most recently heard first, or,
     * while new nodes churn, only those that kept their place for two churn windows (then a timer looks again).
     */
    private admit(): void {
        if (this.admitting || this.closed) {
            return;
        }
        const now = Date.now();
        const churnEnd = this.churnEnd(now);
        if (churnEnd === undefined && this.objectBacklog() >= this.lowWater) {
            return;
        }
        this.admitting = true;
        try {
            while (this.objectBacklog() < this.highWater) {
                const node =
                    churnEnd === undefined
                        ? this.awaiting.pop()
                        : this.awaiting.takeWaitingSince(now - 2 * this.churnWindowMs);
                if (node === undefined) {
                    break;
                }
                this.writeNode(node, ALL_SECTIONS);
            }
        } finally {
            this.admitting = false;
        }
        if (churnEnd !== undefined && this.awaiting.size > 0 && this.admitTimer === undefined) {
            this.admitTimer = this.adapter.setTimeout(
                () => {
                    this.admitTimer = undefined;
                    this.checkIdle();
                },
                Math.min(churnEnd - now, this.churnWindowMs) + 1,
            );
        }
    }

    private setPending(id: string, value: ioBroker.StateValue): void {
        if (!this.pending.has(id)) {
            this.pendingOrder.push(id);
        }
        this.pending.set(id, value);
    }

    /**
     * Oldest pending value whose state is not being written right now. Walks the FIFO of ids (a Map walked from its
     * start would skip ever more deleted entries); ids of states in flight go to the back, at most maxInFlight of them.
     */
    private takePending(): [string, ioBroker.StateValue] | undefined {
        let budget = this.pendingOrder.length;
        while (budget-- > 0) {
            const id = this.pendingOrder.shift();
            if (id === undefined || !this.pending.has(id)) {
                continue; // already written or dropped
            }
            if (this.inFlightStates.has(id)) {
                this.pendingOrder.push(id);
                continue;
            }
            const value = this.pending.get(id) as ioBroker.StateValue;
            this.pending.delete(id);
            return [id, value];
        }
        return undefined;
    }

    private runOp(op: Op): void {
        const stale = op.hex !== undefined && op.kind !== 'delObject' && (this.epochs.get(op.hex) ?? 0) !== op.epoch;
        if (this.closed || stale) {
            op.done(false);
            return;
        }
        this.track(op.id, async () => {
            let ok = false;
            try {
                await op.run();
                ok = true;
                if (op.kind === 'setObjectNotExists') {
                    this.count.objectsCreated++;
                } else if (op.kind === 'extendObject') {
                    this.count.objectsExtended++;
                } else {
                    this.count.objectsDeleted++;
                }
            } catch (e) {
                this.fail(op.kind, op.id, e);
            }
            return () => op.done(ok);
        });
    }

    private runWrite(id: string, value: ioBroker.StateValue): void {
        this.inFlightStates.add(id);
        this.written.set(id, value);
        this.track(id, async () => {
            try {
                await this.adapter.setState(id, value, true);
                this.count.writes++;
            } catch (e) {
                this.fail('setState', id, e);
                this.written.delete(id);
                if (this.values.get(id) === value) {
                    this.values.delete(id); // retry with the next update
                }
            }
            return () => this.inFlightStates.delete(id);
        });
    }

    /** Runs one DB call inside the in-flight bound; `task` returns what to do once the slot is released. */
    private track(id: string, task: () => Promise<() => void>): void {
        this.inFlight++;
        const work: Promise<void> = task().then(after => {
            this.inFlight--;
            this.inFlightWork.delete(work);
            after();
            this.pump();
        });
        this.inFlightWork.set(work, id);
    }

    private isIdle(): boolean {
        return (
            this.inFlight === 0 &&
            this.awaiting.size === 0 &&
            this.ops.length === 0 &&
            this.pending.size === 0 &&
            this.waiting.size === 0 &&
            this.creating.size === 0 &&
            this.removals.size === 0
        );
    }

    /** Admits waiting nodes if the object backlog allows, then resolves `flush()` waiters when idle. */
    private checkIdle(): void {
        if (this.awaiting.size > 0) {
            this.admit();
        }
        if (this.idleWaiters.length > 0 && this.isIdle()) {
            this.resolveIdle();
        }
    }

    private resolveIdle(): void {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) {
            resolve();
        }
    }

    private fail(kind: ErrorKind, id: string, e: unknown): void {
        this.count.errors++;
        const text = `states: ${kind} ${id} failed: ${errorText(e)}`;
        if (this.warned.has(kind)) {
            this.adapter.log.debug(text);
        } else {
            this.warned.add(kind);
            this.adapter.log.warn(`${text} (further ${kind} errors are logged at debug level)`);
        }
    }
}
