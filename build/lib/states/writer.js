"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.StateWriter = exports.DEFAULT_MAX_IN_FLIGHT = void 0;
const batches_1 = require("./batches");
const channel_names_1 = require("./channel-names");
const ids_1 = require("./ids");
const restore_1 = require("./restore");
const table_1 = require("./table");
const admission_1 = require("./writing/admission");
const db_queue_1 = require("./writing/db-queue");
const node_index_1 = require("./writing/node-index");
const object_registry_1 = require("./writing/object-registry");
const options_1 = require("./writing/options");
const seed_1 = require("./writing/seed");
const value_cache_1 = require("./writing/value-cache");
var options_2 = require("./writing/options");
Object.defineProperty(exports, "DEFAULT_MAX_IN_FLIGHT", { enumerable: true, get: function () { return options_2.DEFAULT_MAX_IN_FLIGHT; } });
/** A valid node number as unsigned 32 bit, else 0 (none). */
function nodeNumOrZero(num) {
    return typeof num === 'number' && Number.isInteger(num) && num > 0 && num <= 0xffffffff ? num >>> 0 : 0;
}
/** True when every element of `part` is in `all` (no array built: this runs for every packet). */
function containsAll(all, part) {
    for (const item of part) {
        if (!all.has(item)) {
            return false;
        }
    }
    return true;
}
/** Every node section: a new node's tree and values. */
const ALL_SECTIONS = (0, batches_1.allNodeSections)();
class StateWriter {
    adapter;
    cache;
    nodes;
    db;
    registry;
    admission;
    channelNames = new channel_names_1.ChannelNames();
    /** Per node hex: the head it was written with and the sections whose objects all exist (see writeNode). */
    readyNodes = new Map();
    /** Values whose object is being created (id → newest value). */
    parked = new Map();
    unchanged = 0;
    idleWaiters = [];
    closed = false;
    /** See StateWriterOptions.ownNodeNum. */
    ownNodeNum;
    constructor(adapter, options = {}) {
        this.adapter = adapter;
        const maxNodes = Math.max(1, Math.floor(options.maxNodes ?? 1000));
        this.cache = new value_cache_1.ValueCache(Math.max(100, Math.floor(options.maxCachedValues ?? maxNodes * 80 + 1000)));
        this.nodes = new node_index_1.NodeIndex(maxNodes * 4 + 1000, hex => this.admission.isAwaiting(hex));
        const maxInFlight = Math.max(1, Math.floor(options.maxInFlight ?? options_1.DEFAULT_MAX_IN_FLIGHT));
        this.db = new db_queue_1.DbQueue(adapter, maxInFlight, {
            isCurrent: call => call.hex === undefined || call.kind === 'delObject' || this.nodes.epochOfNode(call.hex) === call.epoch,
            writeStarted: (id, value) => this.cache.markStored(id, value),
            writeFailed: (id, value) => this.cache.writeFailed(id, value),
            settled: () => this.checkIdle(),
        });
        this.registry = new object_registry_1.ObjectRegistry(adapter, {
            enqueue: (kind, id, run, epoch) => this.enqueueCall(kind, id, run, epoch),
            epochOf: id => this.nodes.epochOf(id),
            track: id => this.nodes.track(id),
            created: (id, ok) => this.unpark(id, ok),
            isClosed: () => this.closed,
        });
        this.admission = new admission_1.Admission(adapter, {
            maxNodes,
            maxObjectBacklog: Math.max(1, Math.floor(options.maxObjectBacklog ?? 500)),
            churnWindowMs: Math.max(1, Math.floor(options.churnWindowMs ?? 1000)),
            churnNewNodes: Math.max(1, Math.floor(options.churnNewNodes ?? Math.max(10, Math.ceil(maxNodes / 10)))),
        }, {
            objectBacklog: () => this.registry.backlog(),
            isKnown: hex => this.nodes.has(hex),
            admitNode: node => this.writeNode(node, ALL_SECTIONS),
            recheck: () => this.checkIdle(),
            isClosed: () => this.closed,
        });
        this.ownNodeNum = nodeNumOrZero(options.ownNodeNum);
    }
    /** Successful state writes so far. */
    get writes() {
        return this.db.count.writes;
    }
    /** Objects created so far. */
    get objectsCreated() {
        return this.db.count.objectsCreated;
    }
    /**
     * Seeds the object and value caches from the DB (one call each), creates the top-level skeleton, the objects of
     * the configured channels (incl. their `send`/`sendStatus` states) and the `send`/`sendStatus` states of every
     * stored node device, and returns the node records rebuilt from the stored states (for `MeshModel.restore`), only
     * for nodes whose device object exists. Stored `send`/`sendStatus` values are neither cached nor restored (a
     * pending user command is no data). Await it before the first update; never throws.
     */
    async init(channelNames = []) {
        const nodeValues = await (0, seed_1.seedFromDb)(this.adapter, {
            registry: this.registry,
            cache: this.cache,
            nodes: this.nodes,
            db: this.db,
        });
        this.applyBatch({ objects: (0, batches_1.rootObjects)(), states: [] });
        this.ensureChannels(channelNames);
        this.ensureNodeSendStates();
        return (0, restore_1.restoreNodes)(nodeValues);
    }
    /**
     * Applies mesh model events (the pipeline's sink): node changes, removals and texts.
     * Unknown-channel events are covered by `writeStats`.
     */
    apply(events) {
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
                    this.applyBatch((0, batches_1.messageBatch)(event));
                    break;
                case 'directMessage':
                    // messages.direct only for DMs to our own node; DMs between others show in the sender's node
                    this.applyBatch((0, batches_1.messageBatch)(event, this.ownNodeNum));
                    break;
                case 'waypoint':
                    this.applyBatch((0, batches_1.waypointBatch)(event.waypoint));
                    break;
                case 'waypointRemoved':
                    this.removeTree((0, batches_1.waypointBaseId)(event.id), (0, batches_1.waypointIds)(event.id));
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
    writeNode(node, sections) {
        if (this.closed) {
            return;
        }
        const head = (0, batches_1.nodeHead)(node);
        const ready = this.readyNodes.get(node.hex);
        const known = ready !== undefined && ready.head === head && containsAll(ready.sections, sections);
        const objects = known ? [] : (0, batches_1.nodeObjects)(node, sections);
        this.applyBatch({ objects, states: (0, batches_1.nodeStateValues)(node, sections) });
        if (!known && head !== undefined && objects.every(obj => this.registry.exists(obj.id))) {
            const entry = ready?.head === head ? ready : { head, sections: new Set() };
            // only sections whose containers exist: one without data yet gets its container with its first value
            sections.forEach(section => (0, batches_1.sectionHasData)(node, section) && entry.sections.add(section));
            this.readyNodes.set(node.hex, entry);
        }
    }
    /**
     * Creates the channel objects of the configured channels with their `send`/`sendStatus` state objects (the data
     * states appear with the first text) and remembers the configured names for `channelNameForId`.
     */
    ensureChannels(names) {
        const objects = [];
        const seen = new Set();
        for (const name of names) {
            this.channelNames.remember(name);
            for (const obj of (0, batches_1.channelObjects)(name)) {
                if (!seen.has(obj.id)) {
                    seen.add(obj.id);
                    objects.push(obj);
                }
            }
        }
        this.applyBatch({ objects, states: [] });
    }
    /** Sets our own node number once known (after the identity was created); 0 or an invalid number = none. */
    setOwnNodeNum(num) {
        this.ownNodeNum = nodeNumOrZero(num);
    }
    /**
     * Writes a send status: `<target>.sendStatus` and `messages.lastSent`, both on every call even if equal
     * (event-like). Channel objects are created as needed. A node target without a device object (nor one being
     * created), or an invalid hex, gets no per-node state and no device (that would leave an empty node);
     * `messages.lastSent` is written anyway. A node awaiting its objects gets them now (a node we talk to).
     */
    writeSendStatus(status, target) {
        if (target.kind === 'channel') {
            this.channelNames.remember(target.name);
            this.applyBatch((0, batches_1.sendStatusBatch)(status, target));
            return;
        }
        const base = (0, ids_1.isNodeHex)(target.hex) ? (0, ids_1.nodeBaseId)(target.hex) : undefined;
        const awaiting = this.admission.take(target.hex);
        if (awaiting !== undefined) {
            this.writeNode(awaiting, ALL_SECTIONS);
        }
        const known = base !== undefined && (this.registry.exists(base) || this.registry.isCreating(base));
        this.applyBatch((0, batches_1.sendStatusBatch)(status, known ? target : undefined));
    }
    /** The configured channel name of a sanitised channel id level (`Long_Fast` → `Long.Fast`), if configured. */
    channelNameForId(idPart) {
        return this.channelNames.nameForId(idPart);
    }
    /**
     * The target of a writable `send` state (id relative to the namespace; a full `<namespace>.` id is accepted
     * too): `channels.<id>.send` of a configured channel (with its configured name) or `nodes.<hex>.send`.
     */
    sendStateTarget(id) {
        const prefix = `${this.adapter.namespace}.`;
        return this.channelNames.sendStateTarget(id.startsWith(prefix) ? id.slice(prefix.length) : id);
    }
    /** `stats.*` (call on a timer; values are written only when they changed). */
    writeStats(stats, unknownChannels) {
        this.applyBatch((0, batches_1.statsBatch)(stats, unknownChannels));
    }
    /** `info.connection` through the queue (see `writeInfoConnection` for the direct write at start and unload). */
    setConnected(connected) {
        this.applyBatch((0, batches_1.connectionBatch)(connected));
    }
    /** `info.clients` (JSON array of MQTT client ids). */
    setClients(clients) {
        this.applyBatch((0, batches_1.clientsBatch)(clients));
    }
    /** Creates missing objects of the batch, then queues its changed values. */
    applyBatch(batch) {
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
    async removeNode(hex) {
        if (this.closed || !(0, ids_1.isNodeHex)(hex)) {
            return;
        }
        if (this.admission.take(hex) !== undefined && !this.nodes.has(hex)) {
            // Nothing of it was queued (a deletion of an earlier tree, if any, is under way already): no DB call.
            this.checkIdle();
            return;
        }
        const base = (0, ids_1.nodeBaseId)(hex);
        this.forgetNode(hex);
        const inFlight = this.db.runningFor(id => id === base || id.startsWith(`${base}.`));
        const previous = this.registry.removals.get(hex);
        const removal = (async () => {
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
    removeTree(base, ids) {
        if (this.closed) {
            return;
        }
        for (const id of ids) {
            this.registry.forget(id);
            this.cache.forget(id);
            this.db.dropValue(id);
            this.parked.delete(id);
        }
        void this.enqueueCall('delObject', base, () => this.adapter.delObjectAsync(base, { recursive: true })).then(() => this.checkIdle());
    }
    /**
     * Forgets the caches of a node without touching the DB (e.g. after its objects were deleted from outside).
     * Its next update recreates the objects (a node awaiting its objects keeps waiting: it gets them anyway).
     */
    forgetNode(hex) {
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
    flush(timeoutMs) {
        if (this.closed || this.isIdle()) {
            return Promise.resolve();
        }
        const idle = new Promise(resolve => this.idleWaiters.push(resolve));
        if (timeoutMs === undefined) {
            return idle;
        }
        return new Promise(resolve => {
            const timer = this.adapter.setTimeout(() => {
                this.adapter.log.debug(`states: flush timed out after ${timeoutMs} ms, ${this.pendingCount()} values queued`);
                resolve();
            }, timeoutMs);
            void idle.then(() => {
                this.adapter.clearTimeout(timer);
                resolve();
            });
        });
    }
    /** The backlog: values queued, parked and being written, plus one per node awaiting its objects. */
    pendingCount() {
        return this.db.queuedCount + this.parked.size + this.db.writingCount + this.admission.size;
    }
    /** Node hexes that have a device object (seeded at start or created since). */
    knownNodeHexes() {
        return this.registry.knownNodeHexes();
    }
    /** Ids of the existing objects directly below `parent` (seeded at start or created since). */
    knownChildren(parent) {
        return this.registry.childrenOf(parent);
    }
    /** The last known value of a state (relative id), if cached. */
    cachedValue(id) {
        return this.cache.get(id);
    }
    /** Counters for diagnostics (sendTo getStats, bench). */
    counters() {
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
    dispose() {
        this.closed = true;
        this.db.close();
        this.parked.clear();
        this.admission.dispose();
        this.resolveIdle();
    }
    /** `send`/`sendStatus` state objects of every node device known (seeded), for devices older than these states. */
    ensureNodeSendStates() {
        const objects = [];
        for (const hex of this.knownNodeHexes()) {
            const base = (0, ids_1.nodeBaseId)(hex);
            for (const spec of [table_1.NODE_SEND_STATES.send, table_1.NODE_SEND_STATES.status]) {
                objects.push({ id: `${base}.${spec.id}`, type: 'state', common: spec.common });
            }
        }
        this.applyBatch({ objects, states: [] });
    }
    queueState(entry) {
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
    unpark(id, ok) {
        if (this.parked.has(id)) {
            const value = this.parked.get(id);
            this.parked.delete(id);
            if (ok) {
                this.db.queueValue(id, value);
            }
            else {
                this.cache.dropIfRequested(id, value);
            }
        }
        this.db.pump();
    }
    /** Queues an object call, dropped if its node is removed before it runs (`epoch`: default now). */
    enqueueCall(kind, id, run, epoch = this.nodes.epochOf(id)) {
        if (this.closed) {
            return Promise.resolve(false);
        }
        return this.db.enqueueCall({ kind, id, hex: (0, ids_1.nodeHexOf)(id), epoch, run });
    }
    isIdle() {
        return (this.db.isIdle() &&
            this.admission.size === 0 &&
            this.parked.size === 0 &&
            this.registry.creatingCount === 0 &&
            this.registry.removals.size === 0);
    }
    /** Admits awaiting nodes if the object backlog allows, then resolves `flush()` waiters when idle. */
    checkIdle() {
        this.admission.admit();
        if (this.idleWaiters.length > 0 && this.isIdle()) {
            this.resolveIdle();
        }
    }
    resolveIdle() {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) {
            resolve();
        }
    }
}
exports.StateWriter = StateWriter;
