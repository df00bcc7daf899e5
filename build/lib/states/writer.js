"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.StateWriter = exports.DEFAULT_MAX_IN_FLIGHT = void 0;
const batches_1 = require("./batches");
const ids_1 = require("./ids");
const restore_1 = require("./restore");
const send_targets_1 = require("./send-targets");
const idle_signal_1 = require("./writing/idle-signal");
const options_1 = require("./writing/options");
const parts_1 = require("./writing/parts");
const seed_1 = require("./writing/seed");
var options_2 = require("./writing/options");
Object.defineProperty(exports, "DEFAULT_MAX_IN_FLIGHT", { enumerable: true, get: function () { return options_2.DEFAULT_MAX_IN_FLIGHT; } });
/** Every node section: a new node's tree and values. */
const ALL_SECTIONS = (0, batches_1.allNodeSections)();
class StateWriter {
    adapter;
    parts;
    sendTargets;
    idle;
    closed = false;
    /** See StateWriterOptions.ownNodeNum. */
    ownNodeNum;
    constructor(adapter, options = {}) {
        this.adapter = adapter;
        const limits = (0, options_1.writerLimits)(options);
        this.parts = new parts_1.WriterParts(adapter, limits, {
            admitNode: node => this.writeNode(node, ALL_SECTIONS),
            settled: () => this.checkIdle(),
            isClosed: () => this.closed,
        });
        this.sendTargets = new send_targets_1.SendTargets(adapter.namespace);
        this.idle = new idle_signal_1.IdleSignal(adapter, timeoutMs => adapter.log.debug(`states: flush timed out after ${timeoutMs} ms, a backlog of ${this.backlog()}`));
        this.ownNodeNum = limits.ownNodeNum;
    }
    /** Successful state writes so far. */
    get writes() {
        return this.parts.db.count.writes;
    }
    /** Objects created so far. */
    get objectsCreated() {
        return this.parts.db.count.objectsCreated;
    }
    /**
     * Seeds the object and value caches from the DB (one call each), creates the top-level skeleton, the objects of
     * the configured channels (incl. their `send`/`sendStatus` states) and the `send`/`sendStatus` states of every
     * stored node device, and returns the node records rebuilt from the stored states (for `MeshModel.restore`), only
     * for nodes whose device object exists. Stored `send`/`sendStatus` values are neither cached nor restored (a
     * pending user command is no data). Await it before the first update; never throws.
     */
    async init(channelNames = []) {
        const nodeValues = await (0, seed_1.seedFromDb)(this.adapter, this.parts);
        this.applyBatch({ objects: (0, batches_1.rootObjects)(), states: [] });
        this.ensureChannels(channelNames);
        // for devices older than these states
        const sendStates = this.knownNodeHexes().flatMap(hex => (0, batches_1.nodeCommandObjects)((0, ids_1.nodeBaseId)(hex)));
        this.applyBatch({ objects: sendStates, states: [] });
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
     * containers of a section exist, later updates of that section skip the object entries (see `ReadyNodes`).
     */
    writeNode(node, sections) {
        if (this.closed) {
            return;
        }
        const head = (0, batches_1.nodeHead)(node);
        const ready = this.parts.readyNodes.has(node.hex, head, sections);
        const objects = ready ? [] : (0, batches_1.nodeObjects)(node, sections);
        this.applyBatch({ objects, states: (0, batches_1.nodeStateValues)(node, sections) });
        if (!ready && head !== undefined && objects.every(obj => this.parts.registry.exists(obj.id))) {
            this.parts.readyNodes.add(node, head, sections);
        }
    }
    /**
     * Creates the channel objects of the configured channels with their `send`/`sendStatus` state objects (the data
     * states appear with the first text) and remembers the configured names for `channelNameForId`.
     */
    ensureChannels(names) {
        const list = [...names];
        list.forEach(name => this.sendTargets.rememberChannel(name));
        this.applyBatch({ objects: (0, batches_1.channelsObjects)(list), states: [] });
    }
    /** Sets our own node number once known (after the identity was created); 0 or an invalid number = none. */
    setOwnNodeNum(num) {
        this.ownNodeNum = (0, options_1.ownNodeNumOf)(num);
    }
    /**
     * Writes a send status: `<target>.sendStatus` and `messages.lastSent`, both on every call even if equal
     * (event-like). Channel objects are created as needed. A node target without a device object (nor one being
     * created), or an invalid hex, gets no per-node state and no device (that would leave an empty node);
     * `messages.lastSent` is written anyway. A node awaiting its objects gets them now (a node we talk to).
     */
    writeSendStatus(status, target) {
        if (target.kind === 'channel') {
            this.sendTargets.rememberChannel(target.name);
            this.applyBatch((0, batches_1.sendStatusBatch)(status, target));
            return;
        }
        const base = (0, ids_1.isNodeHex)(target.hex) ? (0, ids_1.nodeBaseId)(target.hex) : undefined;
        const awaiting = this.parts.admission.take(target.hex);
        if (awaiting !== undefined) {
            this.writeNode(awaiting, ALL_SECTIONS);
        }
        const known = base !== undefined && (this.parts.registry.exists(base) || this.parts.registry.isCreating(base));
        this.applyBatch((0, batches_1.sendStatusBatch)(status, known ? target : undefined));
    }
    /** The configured channel name of a sanitised channel id level (`Long_Fast` → `Long.Fast`), if configured. */
    channelNameForId(idPart) {
        return this.sendTargets.channelNameForId(idPart);
    }
    /**
     * The target of a writable `send` state (id relative to the namespace; a full `<namespace>.` id is accepted
     * too): `channels.<id>.send` of a configured channel (with its configured name) or `nodes.<hex>.send`.
     */
    sendStateTarget(id) {
        return this.sendTargets.resolve(id);
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
        if (!this.closed) {
            this.parts.intake.applyBatch(batch);
        }
    }
    /**
     * Deletes `nodes.<hex>` recursively and forgets everything cached about it. Writes for the node that are still
     * queued are dropped; calls in flight are awaited first. Resolves when the deletion finished; never rejects.
     */
    async removeNode(hex) {
        if (!this.closed && (0, ids_1.isNodeHex)(hex)) {
            await this.parts.removal.remove(hex);
        }
    }
    /** Deletes an object tree outside `nodes.*` (a waypoint) and forgets the cached `ids` in it. */
    removeTree(base, ids) {
        if (!this.closed) {
            void this.parts.removal.removeTree(base, ids);
        }
    }
    /**
     * Forgets the caches of a node without touching the DB (e.g. after its objects were deleted from outside).
     * Its next update recreates the objects (a node awaiting its objects keeps waiting: it gets them anyway).
     */
    forgetNode(hex) {
        this.parts.removal.forget(hex);
    }
    /**
     * Resolves once every queued object and value has been written (or failed), or after `timeoutMs` (then the rest
     * stays queued). Never rejects.
     */
    flush(timeoutMs) {
        return this.closed || this.parts.isIdle() ? Promise.resolve() : this.idle.wait(timeoutMs);
    }
    /** Writes not yet done: values queued, parked and being written, plus one per node awaiting its objects. */
    backlog() {
        return this.parts.backlog();
    }
    /** Node hexes that have a device object (seeded at start or created since). */
    knownNodeHexes() {
        return this.parts.registry.knownNodeHexes();
    }
    /** Ids of the existing objects directly below `parent` (seeded at start or created since). */
    knownChildren(parent) {
        return this.parts.registry.childrenOf(parent);
    }
    /** The last known value of a state (relative id), if cached. */
    cachedValue(id) {
        return this.parts.cache.get(id);
    }
    /** Counters for diagnostics (sendTo getStats, bench). */
    counters() {
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
    dispose() {
        this.closed = true;
        this.parts.db.close();
        this.parts.intake.clear();
        this.parts.admission.dispose();
        this.idle.release();
    }
    /** Admits awaiting nodes if the object backlog allows, then resolves `flush()` waiters when idle. */
    checkIdle() {
        this.parts.admission.admit();
        if (this.idle.hasWaiters && this.parts.isIdle()) {
            this.idle.release();
        }
    }
}
exports.StateWriter = StateWriter;
