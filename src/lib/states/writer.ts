/**
 * (Over 400 lines: the layer's whole public API with its contracts; each method delegates to `writing/`.)
 *
 * StateWriter: the only ioBroker-aware class of the adapter's data path, a front end over its parts (`writing/`):
 * the object registry (create once, upgrade old objects), the value cache (write only changes), the DB queue (bounded
 * calls in flight, bursts coalesce), and admission control (new nodes await their objects during a flood). Never
 * throws to the caller: DB errors are logged (warn once per kind, then debug) and counted.
 *
 * One name per concept: a node AWAITS its objects (admission control); a value is PARKED while its object is being
 * created, QUEUED once the object exists, and being WRITTEN while its DB call is in flight.
 */
import type { MeshEvent, MeshStats, NodeRecord, NodeSection, UnknownChannelRecord } from '../mesh/types';
import type { SendStatus } from '../send/types';
import {
    allNodeSections,
    type Batch,
    channelObjects,
    clientsBatch,
    connectionBatch,
    messageBatch,
    nodeHead,
    nodeObjects,
    nodeStateValues,
    type ObjectEntry,
    rootObjects,
    sectionHasData,
    sendStatusBatch,
    type SendStatusTarget,
    type StateEntry,
    statsBatch,
    waypointBaseId,
    waypointBatch,
    waypointIds,
} from './batches';
import { ChannelNames } from './channel-names';
import { isNodeHex, nodeBaseId, nodeHexOf, type SendStateTarget } from './ids';
import { restoreNodes } from './restore';
import { NODE_SEND_STATES } from './table';
import type { StatesAdapter } from './writing/adapter';
import { Admission } from './writing/admission';
import { DbQueue, type ObjectCallKind } from './writing/db-queue';
import { NodeIndex } from './writing/node-index';
import { ObjectRegistry } from './writing/object-registry';
import { DEFAULT_MAX_IN_FLIGHT, type StateWriterOptions, type StateWriterStats } from './writing/options';
import { seedFromDb } from './writing/seed';
import { ValueCache } from './writing/value-cache';

export type { StatesAdapter, StatesLog, StoredObject, StoredState } from './writing/adapter';
export { DEFAULT_MAX_IN_FLIGHT, type StateWriterOptions, type StateWriterStats } from './writing/options';

/** A valid node number as unsigned 32 bit, else 0 (none). */
function nodeNumOrZero(num: number | undefined): number {
    return typeof num === 'number' && Number.isInteger(num) && num > 0 && num <= 0xffffffff ? num >>> 0 : 0;
}

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

/** Every node section: a new node's tree and values. */
const ALL_SECTIONS = allNodeSections();

export class StateWriter {
    private readonly cache: ValueCache;
    private readonly nodes: NodeIndex;
    private readonly db: DbQueue;
    private readonly registry: ObjectRegistry;
    private readonly admission: Admission;
    private readonly channelNames = new ChannelNames();
    /** Per node hex: the head it was written with and the sections whose objects all exist (see writeNode). */
    private readonly readyNodes = new Map<string, ReadyNode>();
    /** Values whose object is being created (id → newest value). */
    private readonly parked = new Map<string, ioBroker.StateValue>();
    private unchanged = 0;
    private idleWaiters: (() => void)[] = [];
    private closed = false;
    /** See StateWriterOptions.ownNodeNum. */
    private ownNodeNum: number;

    constructor(
        private readonly adapter: StatesAdapter,
        options: StateWriterOptions = {},
    ) {
        const maxNodes = Math.max(1, Math.floor(options.maxNodes ?? 1000));
        this.cache = new ValueCache(Math.max(100, Math.floor(options.maxCachedValues ?? maxNodes * 80 + 1000)));
        this.nodes = new NodeIndex(maxNodes * 4 + 1000, hex => this.admission.isAwaiting(hex));
        const maxInFlight = Math.max(1, Math.floor(options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT));
        this.db = new DbQueue(adapter, maxInFlight, {
            isCurrent: call =>
                call.hex === undefined || call.kind === 'delObject' || this.nodes.epochOfNode(call.hex) === call.epoch,
            writeStarted: (id, value) => this.cache.markStored(id, value),
            writeFailed: (id, value) => this.cache.writeFailed(id, value),
            settled: () => this.checkIdle(),
        });
        this.registry = new ObjectRegistry(adapter, {
            enqueue: (kind, id, run, epoch) => this.enqueueCall(kind, id, run, epoch),
            epochOf: id => this.nodes.epochOf(id),
            track: id => this.nodes.track(id),
            created: (id, ok) => this.unpark(id, ok),
            isClosed: () => this.closed,
        });
        this.admission = new Admission(
            adapter,
            {
                maxNodes,
                maxObjectBacklog: Math.max(1, Math.floor(options.maxObjectBacklog ?? 500)),
                churnWindowMs: Math.max(1, Math.floor(options.churnWindowMs ?? 1000)),
                churnNewNodes: Math.max(1, Math.floor(options.churnNewNodes ?? Math.max(10, Math.ceil(maxNodes / 10)))),
            },
            {
                objectBacklog: () => this.registry.backlog(),
                isKnown: hex => this.nodes.has(hex),
                admitNode: node => this.writeNode(node, ALL_SECTIONS),
                recheck: () => this.checkIdle(),
                isClosed: () => this.closed,
            },
        );
        this.ownNodeNum = nodeNumOrZero(options.ownNodeNum);
    }

    /** Successful state writes so far. */
    get writes(): number {
        return this.db.count.writes;
    }

    /** Objects created so far. */
    get objectsCreated(): number {
        return this.db.count.objectsCreated;
    }

    /**
     * Seeds the object and value caches from the DB (one call each), creates the top-level skeleton, the objects of
     * the configured channels (incl. their `send`/`sendStatus` states) and the `send`/`sendStatus` states of every
     * stored node device, and returns the node records rebuilt from the stored states (for `MeshModel.restore`), only
     * for nodes whose device object exists. Stored `send`/`sendStatus` values are neither cached nor restored (a
     * pending user command is no data). Await it before the first update; never throws.
     */
    async init(channelNames: Iterable<string> = []): Promise<NodeRecord[]> {
        const nodeValues = await seedFromDb(this.adapter, {
            registry: this.registry,
            cache: this.cache,
            nodes: this.nodes,
            db: this.db,
        });
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
                        this.admission.noteNewNode();
                    }
                    if (!this.admission.holds(event.node, event.isNew)) {
                        this.writeNode(event.node, event.isNew ? ALL_SECTIONS : event.sections);
                    }
                    break;
                case 'nodeRemoved':
                    void this.removeNode(event.hex);
                    break;
                case 'channelMessage':
                    this.channelNames.remember(event.channel.name);
                    this.applyBatch(messageBatch(event));
                    break;
                case 'directMessage':
                    // messages.direct only for DMs to our own node; DMs between others show in the sender's node
                    this.applyBatch(messageBatch(event, this.ownNodeNum));
                    break;
                case 'waypoint':
                    this.applyBatch(waypointBatch(event.waypoint));
                    break;
                case 'waypointRemoved':
                    this.removeTree(waypointBaseId(event.id), waypointIds(event.id));
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
        if (!known && head !== undefined && objects.every(obj => this.registry.exists(obj.id))) {
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
            this.channelNames.remember(name);
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
     * Writes a send status: `<target>.sendStatus` and `messages.lastSent`, both on every call even if equal
     * (event-like). Channel objects are created as needed. A node target without a device object (nor one being
     * created), or an invalid hex, gets no per-node state and no device (that would leave an empty node);
     * `messages.lastSent` is written anyway. A node awaiting its objects gets them now (a node we talk to).
     */
    writeSendStatus(status: Readonly<SendStatus>, target: SendStatusTarget): void {
        if (target.kind === 'channel') {
            this.channelNames.remember(target.name);
            this.applyBatch(sendStatusBatch(status, target));
            return;
        }
        const base = isNodeHex(target.hex) ? nodeBaseId(target.hex) : undefined;
        const awaiting = this.admission.take(target.hex);
        if (awaiting !== undefined) {
            this.writeNode(awaiting, ALL_SECTIONS);
        }
        const known = base !== undefined && (this.registry.exists(base) || this.registry.isCreating(base));
        this.applyBatch(sendStatusBatch(status, known ? target : undefined));
    }

    /** The configured channel name of a sanitised channel id level (`Long_Fast` → `Long.Fast`), if configured. */
    channelNameForId(idPart: string): string | undefined {
        return this.channelNames.nameForId(idPart);
    }

    /**
     * The target of a writable `send` state (id relative to the namespace; a full `<namespace>.` id is accepted
     * too): `channels.<id>.send` of a configured channel (with its configured name) or `nodes.<hex>.send`.
     */
    sendStateTarget(id: string): SendStateTarget | undefined {
        const prefix = `${this.adapter.namespace}.`;
        return this.channelNames.sendStateTarget(id.startsWith(prefix) ? id.slice(prefix.length) : id);
    }

    /** `stats.*` (call on a timer; values are written only when they changed). */
    writeStats(stats: Readonly<MeshStats>, unknownChannels: readonly Readonly<UnknownChannelRecord>[]): void {
        this.applyBatch(statsBatch(stats, unknownChannels));
    }

    /** `info.connection` through the queue (see `writeInfoConnection` for the direct write at start and unload). */
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
            this.registry.ensure(obj);
        }
        for (const state of batch.states) {
            this.queueState(state);
        }
        this.db.pump();
    }

    /**
     * Deletes `nodes.<hex>` recursively and forgets everything cached about it. Writes for the node that are still
     * queued are dropped; calls in flight are awaited first. Resolves when the deletion finished; never rejects.
     */
    async removeNode(hex: string): Promise<void> {
        if (this.closed || !isNodeHex(hex)) {
            return;
        }
        if (this.admission.take(hex) !== undefined && !this.nodes.has(hex)) {
            // Nothing of it was queued (a deletion of an earlier tree, if any, is under way already): no DB call.
            this.checkIdle();
            return;
        }
        const base = nodeBaseId(hex);
        this.forgetNode(hex);
        const inFlight = this.db.runningFor(id => id === base || id.startsWith(`${base}.`));
        const previous = this.registry.removals.get(hex);
        const removal = (async (): Promise<void> => {
            await previous;
            await Promise.all(inFlight);
            await this.enqueueCall('delObject', base, () => this.adapter.delObjectAsync(base, { recursive: true }));
        })();
        this.registry.removals.set(hex, removal);
        await removal;
        if (this.registry.removals.get(hex) === removal) {
            this.registry.removals.delete(hex);
        }
        this.checkIdle();
    }

    /** Deletes an object tree outside `nodes.*` (a waypoint) and forgets the cached `ids` in it. */
    private removeTree(base: string, ids: readonly string[]): void {
        if (this.closed) {
            return;
        }
        for (const id of ids) {
            this.registry.forget(id);
            this.cache.forget(id);
            this.db.dropValue(id);
            this.parked.delete(id);
        }
        void this.enqueueCall('delObject', base, () => this.adapter.delObjectAsync(base, { recursive: true })).then(
            () => this.checkIdle(),
        );
    }

    /**
     * Forgets the caches of a node without touching the DB (e.g. after its objects were deleted from outside).
     * Its next update recreates the objects (a node awaiting its objects keeps waiting: it gets them anyway).
     */
    forgetNode(hex: string): void {
        this.readyNodes.delete(hex);
        for (const id of this.nodes.forget(hex)) {
            this.registry.forget(id);
            this.cache.forget(id);
            this.db.dropValue(id);
            this.parked.delete(id);
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

    /** The backlog: values queued, parked and being written, plus one per node awaiting its objects. */
    pendingCount(): number {
        return this.db.queuedCount + this.parked.size + this.db.writingCount + this.admission.size;
    }

    /** Node hexes that have a device object (seeded at start or created since). */
    knownNodeHexes(): string[] {
        return this.registry.knownNodeHexes();
    }

    /** Ids of the existing objects directly below `parent` (seeded at start or created since). */
    knownChildren(parent: string): string[] {
        return this.registry.childrenOf(parent);
    }

    /** The last known value of a state (relative id), if cached. */
    cachedValue(id: string): ioBroker.StateValue | undefined {
        return this.cache.get(id);
    }

    /** Counters for diagnostics (sendTo getStats, bench). */
    counters(): StateWriterStats {
        return {
            ...this.db.count,
            unchanged: this.unchanged,
            backlog: this.pendingCount(),
            awaitingObjects: this.admission.size,
            objectBacklog: this.registry.backlog(),
            inFlight: this.db.inFlightCount,
            knownObjects: this.registry.size,
            cachedValues: this.cache.size,
        };
    }

    /** Stops writing: queued work is dropped, later calls are ignored, flush() resolves at once. */
    dispose(): void {
        this.closed = true;
        this.db.close();
        this.parked.clear();
        this.admission.dispose();
        this.resolveIdle();
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

    private queueState(entry: StateEntry): void {
        const { id, value } = entry;
        // Only existing objects are unverified: no existence check needed first (most values arrive unchanged).
        this.registry.verify(id, entry.common);
        if (!entry.event && this.cache.get(id) === value) {
            this.unchanged++;
            return;
        }
        const exists = this.registry.exists(id);
        if (this.cache.remember(id, value)) {
            this.nodes.track(id);
        }
        if (exists) {
            if (!entry.event && this.cache.isStored(id, value)) {
                // The value went back to what the DB already holds before its change was written: nothing to write.
                this.db.dropValue(id);
                this.unchanged++;
                return;
            }
            this.db.queueValue(id, value);
            return;
        }
        this.parked.set(id, value);
        this.registry.ensureState(id, entry.common);
    }

    /** A creation settled: its parked value is queued, or (failed) forgotten so that the next update retries. */
    private unpark(id: string, ok: boolean): void {
        if (this.parked.has(id)) {
            const value = this.parked.get(id) as ioBroker.StateValue;
            this.parked.delete(id);
            if (ok) {
                this.db.queueValue(id, value);
            } else {
                this.cache.dropIfRequested(id, value);
            }
        }
        this.db.pump();
    }

    /** Queues an object call, dropped if its node is removed before it runs (`epoch`: default now). */
    private enqueueCall(
        kind: ObjectCallKind,
        id: string,
        run: () => Promise<unknown>,
        epoch = this.nodes.epochOf(id),
    ): Promise<boolean> {
        if (this.closed) {
            return Promise.resolve(false);
        }
        return this.db.enqueueCall({ kind, id, hex: nodeHexOf(id), epoch, run });
    }

    private isIdle(): boolean {
        return (
            this.db.isIdle() &&
            this.admission.size === 0 &&
            this.parked.size === 0 &&
            this.registry.creatingCount === 0 &&
            this.registry.removals.size === 0
        );
    }

    /** Admits awaiting nodes if the object backlog allows, then resolves `flush()` waiters when idle. */
    private checkIdle(): void {
        this.admission.admit();
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
}
