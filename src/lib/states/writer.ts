/**
 * StateWriter: the only ioBroker-aware class of the adapter's data path, a small front end over its parts
 * (`writing/`): the object registry (create once, upgrade old objects), the value intake and cache (write only
 * changes), the DB queue (bounded calls in flight, bursts coalesce), and admission control (new nodes await their
 * objects during a flood). Never throws to the caller: DB errors are logged (warn once per kind, then debug) and
 * counted.
 *
 * One name per concept: a node AWAITS its objects (admission control); a value is PARKED while its object is being
 * created, QUEUED once the object exists, and being WRITTEN while its DB call is in flight. The BACKLOG is every write
 * not yet done; the OBJECT BACKLOG the object operations under way (what admission control bounds).
 */
import type { MeshEvent, MeshStats, NodeRecord, NodeSection, UnknownChannelRecord } from '../mesh/types';
import type { SendStatus } from '../send/types';
import {
    allNodeSections,
    type Batch,
    channelsObjects,
    clientsBatch,
    connectionBatch,
    messageBatch,
    nodeCommandObjects,
    nodeHead,
    nodeObjects,
    nodeStateValues,
    rootObjects,
    sendStatusBatch,
    type SendStatusTarget,
    statsBatch,
    waypointBaseId,
    waypointBatch,
    waypointIds,
} from './batches';
import { isNodeHex, nodeBaseId } from './ids';
import { restoreNodes } from './restore';
import { type SendStateTarget, SendTargets } from './send-targets';
import type { StatesAdapter } from './writing/adapter';
import { IdleSignal } from './writing/idle-signal';
import { ownNodeNumOf, type StateWriterOptions, type StateWriterStats, writerLimits } from './writing/options';
import { WriterParts } from './writing/parts';
import { seedFromDb } from './writing/seed';

export type { StatesAdapter, StatesLog, StoredObject, StoredState } from './writing/adapter';
export { DEFAULT_MAX_IN_FLIGHT, type StateWriterOptions, type StateWriterStats } from './writing/options';

/** Every node section: a new node's tree and values. */
const ALL_SECTIONS = allNodeSections();

export class StateWriter {
    private readonly parts: WriterParts;
    private readonly sendTargets: SendTargets;
    private readonly idle: IdleSignal;
    private closed = false;
    /** See StateWriterOptions.ownNodeNum. */
    private ownNodeNum: number;

    constructor(
        private readonly adapter: StatesAdapter,
        options: StateWriterOptions = {},
    ) {
        const limits = writerLimits(options);
        this.parts = new WriterParts(adapter, limits, {
            admitNode: node => this.writeNode(node, ALL_SECTIONS),
            settled: () => this.checkIdle(),
            isClosed: () => this.closed,
        });
        this.sendTargets = new SendTargets(adapter.namespace);
        this.idle = new IdleSignal(adapter, timeoutMs =>
            adapter.log.debug(`states: flush timed out after ${timeoutMs} ms, a backlog of ${this.backlog()}`),
        );
        this.ownNodeNum = limits.ownNodeNum;
    }

    /** Successful state writes so far. */
    get writes(): number {
        return this.parts.db.count.writes;
    }

    /** Objects created so far. */
    get objectsCreated(): number {
        return this.parts.db.count.objectsCreated;
    }

    /**
     * Seeds the object and value caches from the DB (one call each), creates the top-level skeleton, the objects of
     * the configured channels (incl. their `send`/`sendStatus` states) and the `send`/`sendStatus` states of every
     * stored node device, and returns the node records rebuilt from the stored states (for `MeshModel.restore`), only
     * for nodes whose device object exists. Stored `send`/`sendStatus` values are neither cached nor restored (a
     * pending user command is no data). Await it before the first update; never throws.
     */
    async init(channelNames: Iterable<string> = []): Promise<NodeRecord[]> {
        const nodeValues = await seedFromDb(this.adapter, this.parts);
        this.applyBatch({ objects: rootObjects(), states: [] });
        this.ensureChannels(channelNames);
        // for devices older than these states
        const sendStates = this.knownNodeHexes().flatMap(hex => nodeCommandObjects(nodeBaseId(hex)));
        this.applyBatch({ objects: sendStates, states: [] });
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
                        this.parts.admission.noteNewNode();
                    }
                    if (!this.parts.admission.holds(event.node, event.isNew)) {
                        this.writeNode(event.node, event.isNew ? ALL_SECTIONS : event.sections);
                    }
                    break;
                case 'nodeRemoved':
                    void this.removeNode(event.hex);
                    break;
                case 'channelMessage':
                    this.sendTargets.rememberChannel(event.channel.name);
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
     * containers of a section exist, later updates of that section skip the object entries (see `ReadyNodes`).
     */
    writeNode(node: Readonly<NodeRecord>, sections: ReadonlySet<NodeSection>): void {
        if (this.closed) {
            return;
        }
        const head = nodeHead(node);
        const ready = this.parts.readyNodes.has(node.hex, head, sections);
        const objects = ready ? [] : nodeObjects(node, sections);
        this.applyBatch({ objects, states: nodeStateValues(node, sections) });
        if (!ready && head !== undefined && objects.every(obj => this.parts.registry.exists(obj.id))) {
            this.parts.readyNodes.add(node, head, sections);
        }
    }

    /**
     * Creates the channel objects of the configured channels with their `send`/`sendStatus` state objects (the data
     * states appear with the first text) and remembers the configured names for `channelNameForId`.
     */
    ensureChannels(names: Iterable<string>): void {
        const list = [...names];
        list.forEach(name => this.sendTargets.rememberChannel(name));
        this.applyBatch({ objects: channelsObjects(list), states: [] });
    }

    /** Sets our own node number once known (after the identity was created); 0 or an invalid number = none. */
    setOwnNodeNum(num: number): void {
        this.ownNodeNum = ownNodeNumOf(num);
    }

    /**
     * Writes a send status: `<target>.sendStatus` and `messages.lastSent`, both on every call even if equal
     * (event-like). Channel objects are created as needed. A node target without a device object (nor one being
     * created), or an invalid hex, gets no per-node state and no device (that would leave an empty node);
     * `messages.lastSent` is written anyway. A node awaiting its objects gets them now (a node we talk to).
     */
    writeSendStatus(status: Readonly<SendStatus>, target: SendStatusTarget): void {
        if (target.kind === 'channel') {
            this.sendTargets.rememberChannel(target.name);
            this.applyBatch(sendStatusBatch(status, target));
            return;
        }
        const base = isNodeHex(target.hex) ? nodeBaseId(target.hex) : undefined;
        const awaiting = this.parts.admission.take(target.hex);
        if (awaiting !== undefined) {
            this.writeNode(awaiting, ALL_SECTIONS);
        }
        const known = base !== undefined && (this.parts.registry.exists(base) || this.parts.registry.isCreating(base));
        this.applyBatch(sendStatusBatch(status, known ? target : undefined));
    }

    /** The configured channel name of a sanitised channel id level (`Long_Fast` → `Long.Fast`), if configured. */
    channelNameForId(idPart: string): string | undefined {
        return this.sendTargets.channelNameForId(idPart);
    }

    /**
     * The target of a writable `send` state (id relative to the namespace; a full `<namespace>.` id is accepted
     * too): `channels.<id>.send` of a configured channel (with its configured name) or `nodes.<hex>.send`.
     */
    sendStateTarget(id: string): SendStateTarget | undefined {
        return this.sendTargets.resolve(id);
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
        if (!this.closed) {
            this.parts.intake.applyBatch(batch);
        }
    }

    /**
     * Deletes `nodes.<hex>` recursively and forgets everything cached about it. Writes for the node that are still
     * queued are dropped; calls in flight are awaited first. Resolves when the deletion finished; never rejects.
     */
    async removeNode(hex: string): Promise<void> {
        if (!this.closed && isNodeHex(hex)) {
            await this.parts.removal.remove(hex);
        }
    }

    /** Deletes an object tree outside `nodes.*` (a waypoint) and forgets the cached `ids` in it. */
    private removeTree(base: string, ids: readonly string[]): void {
        if (!this.closed) {
            void this.parts.removal.removeTree(base, ids);
        }
    }

    /**
     * Forgets the caches of a node without touching the DB (e.g. after its objects were deleted from outside).
     * Its next update recreates the objects (a node awaiting its objects keeps waiting: it gets them anyway).
     */
    forgetNode(hex: string): void {
        this.parts.removal.forget(hex);
    }

    /**
     * Resolves once every queued object and value has been written (or failed), or after `timeoutMs` (then the rest
     * stays queued). Never rejects.
     */
    flush(timeoutMs?: number): Promise<void> {
        return this.closed || this.parts.isIdle() ? Promise.resolve() : this.idle.wait(timeoutMs);
    }

    /** Writes not yet done: values queued, parked and being written, plus one per node awaiting its objects. */
    backlog(): number {
        return this.parts.backlog();
    }

    /** Node hexes that have a device object (seeded at start or created since). */
    knownNodeHexes(): string[] {
        return this.parts.registry.knownNodeHexes();
    }

    /** Ids of the existing objects directly below `parent` (seeded at start or created since). */
    knownChildren(parent: string): string[] {
        return this.parts.registry.childrenOf(parent);
    }

    /** The last known value of a state (relative id), if cached. */
    cachedValue(id: string): ioBroker.StateValue | undefined {
        return this.parts.cache.get(id);
    }

    /** Counters for diagnostics (sendTo getStats, bench). */
    counters(): StateWriterStats {
        return {
            ...this.parts.db.count,
            unchanged: this.parts.intake.unchanged,
            backlog: this.backlog(),
            awaitingObjects: this.parts.admission.awaitingCount,
            objectBacklog: this.parts.registry.objectBacklog(),
            inFlight: this.parts.db.inFlightCount,
            knownObjects: this.parts.registry.size,
            cachedValues: this.parts.cache.size,
        };
    }

    /** Stops writing: queued work is dropped, later calls are ignored, flush() resolves at once. */
    dispose(): void {
        this.closed = true;
        this.parts.db.close();
        this.parts.intake.clear();
        this.parts.admission.dispose();
        this.idle.release();
    }

    /** Admits awaiting nodes if the object backlog allows, then resolves `flush()` waiters when idle. */
    private checkIdle(): void {
        this.parts.admission.admit();
        if (this.idle.hasWaiters && this.parts.isIdle()) {
            this.idle.release();
        }
    }
}
