"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.StateWriter = exports.DEFAULT_MAX_IN_FLIGHT = void 0;
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
const awaiting_nodes_1 = require("./awaiting-nodes");
const mapping_1 = require("./mapping");
const table_1 = require("./table");
/**
 * Default bound of DB calls in flight. Every `setState` is four sequential DB round trips in js-controller 7 (object
 * read, state GET, SET, PUBLISH): at 64 the adapter still waited on the DB a fifth of the time; 128 measured 10–15 %
 * more writes a second in the bench (alternating runs, js-controller 7.1.1), 256 no better than 128.
 */
exports.DEFAULT_MAX_IN_FLIGHT = 128;
/** A valid node number as unsigned 32 bit, else 0 (none). */
function nodeNumOrZero(num) {
    return typeof num === 'number' && Number.isInteger(num) && num > 0 && num <= 0xffffffff ? num >>> 0 : 0;
}
/** True for `channels.<id>.send(Status)` and `nodes.<hex>.send(Status)` (relative ids): command/status, no data. */
function isSendStateId(id) {
    const levels = id.split('.');
    return (levels.length === 3 &&
        (levels[0] === table_1.ROOT.channels || levels[0] === table_1.ROOT.nodes) &&
        (levels[2] === table_1.SEND_STATE_ID || levels[2] === table_1.SEND_STATUS_STATE_ID));
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
/** FIFO with O(1) shift. */
class Queue {
    items = [];
    head = 0;
    get length() {
        return this.items.length - this.head;
    }
    push(item) {
        this.items.push(item);
    }
    shift() {
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
    drain() {
        const rest = this.items.slice(this.head).filter((i) => i !== undefined);
        this.items = [];
        this.head = 0;
        return rest;
    }
}
/** Every node section: a new node's tree and values. */
const ALL_SECTIONS = (0, mapping_1.allNodeSections)();
/** Ids below these roots are owned by the writer alone; old objects there get role/unit upgrades. */
const UPGRADABLE_ROOTS = [`${table_1.ROOT.nodes}.`, `${table_1.ROOT.channels}.`];
function fingerprint(c) {
    if (!c) {
        return '';
    }
    return `${c.type ?? ''}|${c.role ?? ''}|${c.unit ?? ''}|${c.states === undefined ? '' : JSON.stringify(c.states)}`;
}
function nameText(name) {
    if (name === undefined) {
        return undefined;
    }
    return typeof name === 'string' ? name : name.en;
}
function parentOf(id) {
    const dot = id.lastIndexOf('.');
    return dot > 0 ? id.slice(0, dot) : undefined;
}
function errorText(e) {
    return e instanceof Error ? e.message : String(e);
}
class StateWriter {
    adapter;
    maxInFlight;
    maxValues;
    /** Bound of `epochs`. */
    maxEpochs;
    maxNodes;
    /** Admission control: new nodes wait while `objectBacklog()` is at least `highWater`, ... */
    highWater;
    /** ... and waiting nodes are queued while it is below `lowWater` (until `highWater` again). */
    lowWater;
    /** New nodes whose objects are not queued yet (admission control). */
    awaiting = new awaiting_nodes_1.AwaitingNodes();
    admitting = false;
    churnWindowMs;
    /** Times of the last `churnNewNodes` new nodes (a ring; `arrivalNext` is the oldest once it is full). */
    arrivalTimes = [];
    churnNewNodes;
    arrivalNext = 0;
    /** Re-checks admission while the churn guard holds nodes back (no event may come to do it). */
    admitTimer;
    /** Objects known to exist. */
    objects = new Set();
    /** Per node hex: the head it was written with and the sections whose objects all exist (see writeNode). */
    readyNodes = new Map();
    /** Creations under way (id → resolves true when the object exists). */
    creating = new Map();
    /** Existing (seeded) state objects not yet compared with the table: id → fingerprint of type/role/unit/states. */
    seededCommons = new Map();
    /** Device id → the name it has (or is getting). */
    deviceNames = new Map();
    /** Last written or requested value per state (bounded, oldest dropped first). */
    values = new Map();
    /** Value the DB has (or will have once the write in flight lands) per state: a pending value equal to it is dropped. */
    written = new Map();
    /** Values to write, object exists (id → newest value). */
    pending = new Map();
    /** Ids of `pending` in arrival order (may hold stale ids, skipped when taken). */
    pendingOrder = new Queue();
    /** Values whose object is being created. */
    waiting = new Map();
    /** Every id cached under a node, for removal. */
    nodeKeys = new Map();
    /** Incremented when a node is removed; ops of older epochs are dropped. */
    epochs = new Map();
    removals = new Map();
    ops = new Queue();
    inFlightStates = new Set();
    /** Promises of DB calls in flight → id. */
    inFlightWork = new Map();
    inFlight = 0;
    idleWaiters = [];
    warned = new Set();
    closed = false;
    /** See StateWriterOptions.ownNodeNum. */
    ownNodeNum;
    /** Sanitised channel id level → configured channel name (first name wins when two sanitise alike). */
    channelNames = new Map();
    count = {
        writes: 0,
        objectsCreated: 0,
        objectsExtended: 0,
        objectsDeleted: 0,
        unchanged: 0,
        errors: 0,
    };
    constructor(adapter, options = {}) {
        this.adapter = adapter;
        this.maxInFlight = Math.max(1, Math.floor(options.maxInFlight ?? exports.DEFAULT_MAX_IN_FLIGHT));
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
    get writes() {
        return this.count.writes;
    }
    /** Objects created so far. */
    get objectsCreated() {
        return this.count.objectsCreated;
    }
    /**
     * Seeds the object and value caches from the DB (one call each), creates the top-level skeleton, the objects of
     * the configured channels (incl. their `send`/`sendStatus` states) and the `send`/`sendStatus` states of every
     * stored node device, and returns the node records rebuilt from the stored states (for `MeshModel.restore`), only
     * for nodes whose device object exists. Stored `send`/`sendStatus` values are neither cached nor restored (a
     * pending user command is no data). Await it before the first update; never throws.
     */
    async init(channelNames = []) {
        const prefix = `${this.adapter.namespace}.`;
        const rel = (id) => (id.startsWith(prefix) ? id.slice(prefix.length) : id);
        try {
            const objects = await this.adapter.getAdapterObjectsAsync();
            for (const [fullId, obj] of Object.entries(objects)) {
                this.seedObject(rel(fullId), obj);
            }
        }
        catch (e) {
            this.fail('seedObjects', '*', e);
        }
        const nodeValues = [];
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
                const hex = (0, mapping_1.nodeHexOf)(id);
                if (hex !== undefined && this.objects.has((0, mapping_1.nodeBaseId)(hex))) {
                    nodeValues.push([id, state.val]);
                }
                if (this.values.size < this.maxValues) {
                    this.rememberValue(id, state.val);
                    this.written.set(id, state.val);
                }
            }
        }
        catch (e) {
            this.fail('seedStates', '*', e);
        }
        this.applyBatch({ objects: (0, mapping_1.rootObjects)(), states: [] });
        this.ensureChannels(channelNames);
        this.ensureNodeSendStates();
        return (0, mapping_1.restoreNodes)(nodeValues);
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
                    this.applyBatch((0, mapping_1.messageBatch)(event));
                    break;
                case 'directMessage':
                    // messages.direct only for DMs to our own node; DMs between others show in the sender's node
                    this.applyBatch((0, mapping_1.messageBatch)(event, this.ownNodeNum));
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
        const head = (0, mapping_1.nodeHead)(node);
        const ready = this.readyNodes.get(node.hex);
        const known = ready !== undefined && ready.head === head && containsAll(ready.sections, sections);
        const objects = known ? [] : (0, mapping_1.nodeObjects)(node, sections);
        this.applyBatch({ objects, states: (0, mapping_1.nodeStateValues)(node, sections) });
        if (!known && head !== undefined && objects.every(obj => this.objects.has(obj.id))) {
            const entry = ready?.head === head ? ready : { head, sections: new Set() };
            // only sections whose containers exist: one without data yet gets its container with its first value
            sections.forEach(section => (0, mapping_1.sectionHasData)(node, section) && entry.sections.add(section));
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
            this.rememberChannel(name);
            for (const obj of (0, mapping_1.channelObjects)(name)) {
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
     * Writes a send status: `<target>.sendStatus` (`channels.<name>.sendStatus` or `nodes.<hex>.sendStatus`) and
     * `messages.lastSent`, both on every call even if equal (event-like). Channel objects are created as needed (the
     * name is remembered for `channelNameForId`). A node target whose device object does not exist (nor is being
     * created), or an invalid hex, gets no per-node state, no device is created for it (that would leave an empty
     * node); `messages.lastSent` is written anyway. Like every state, statuses queued faster than the DB takes them
     * coalesce to the newest one.
     */
    writeSendStatus(status, target) {
        if (target.kind === 'channel') {
            this.rememberChannel(target.name);
            this.applyBatch((0, mapping_1.sendStatusBatch)(status, target));
            return;
        }
        const base = (0, mapping_1.isNodeHex)(target.hex) ? (0, mapping_1.nodeBaseId)(target.hex) : undefined;
        const waiting = this.awaiting.delete(target.hex);
        if (waiting !== undefined) {
            this.writeNode(waiting, ALL_SECTIONS); // a node we talk to gets its objects now
        }
        const known = base !== undefined && (this.objects.has(base) || this.creating.has(base));
        this.applyBatch((0, mapping_1.sendStatusBatch)(status, known ? target : undefined));
    }
    /** The configured channel name of a sanitised channel id level (`Long_Fast` → `Long.Fast`), if configured. */
    channelNameForId(idPart) {
        return this.channelNames.get(idPart);
    }
    /**
     * The target of a writable `send` state (id relative to the namespace; a full `<namespace>.` id is accepted
     * too): `channels.<id>.send` of a configured channel (with its configured name) or `nodes.<hex>.send`.
     * Anything else, including channels that are not configured, gives undefined.
     */
    sendStateTarget(id) {
        const prefix = `${this.adapter.namespace}.`;
        const relative = id.startsWith(prefix) ? id.slice(prefix.length) : id;
        return (0, mapping_1.sendStateTarget)(relative, part => this.channelNameForId(part));
    }
    /** `stats.*` (call on a timer; values are written only when they changed). */
    writeStats(stats, unknownChannels) {
        this.applyBatch((0, mapping_1.statsBatch)(stats, unknownChannels));
    }
    /** `info.connection`. */
    setConnected(connected) {
        this.applyBatch((0, mapping_1.connectionBatch)(connected));
    }
    /** `info.clients` (JSON array of MQTT client ids). */
    setClients(clients) {
        this.applyBatch((0, mapping_1.clientsBatch)(clients));
    }
    /** Creates missing objects of the batch, then queues its changed values. */
    applyBatch(batch) {
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
    async removeNode(hex) {
        if (this.closed || !(0, mapping_1.isNodeHex)(hex)) {
            return;
        }
        if (this.awaiting.delete(hex) !== undefined && !this.nodeKeys.has(hex)) {
            // Nothing of it was queued (a deletion of an earlier tree, if any, is under way already): no DB call.
            this.checkIdle();
            return;
        }
        const base = (0, mapping_1.nodeBaseId)(hex);
        this.forgetNode(hex);
        const inFlight = [...this.inFlightWork]
            .filter(([, id]) => id === base || id.startsWith(`${base}.`))
            .map(([p]) => p);
        const previous = this.removals.get(hex);
        const removal = (async () => {
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
    bumpEpoch(hex) {
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
    forgetNode(hex) {
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
    /**
     * Values not yet written: pending, waiting for their object, and in flight; plus one per node awaiting its objects
     * (admission control; its values are taken from its record when its objects are queued).
     */
    pendingCount() {
        return this.pending.size + this.waiting.size + this.inFlightStates.size + this.awaiting.size;
    }
    /** Node hexes that have a device object (seeded at start or created since). */
    knownNodeHexes() {
        const out = [];
        const prefix = `${table_1.ROOT.nodes}.`;
        for (const id of this.objects) {
            if (id.startsWith(prefix) && id.indexOf('.', prefix.length) < 0) {
                const hex = id.slice(prefix.length);
                if ((0, mapping_1.isNodeHex)(hex)) {
                    out.push(hex);
                }
            }
        }
        return out;
    }
    /** The last known value of a state (relative id), if cached. */
    cachedValue(id) {
        return this.values.get(id);
    }
    /** Counters for diagnostics (sendTo getStats, bench). */
    counters() {
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
    dispose() {
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
    rememberChannel(name) {
        const part = (0, mapping_1.channelBaseId)(name).slice(table_1.ROOT.channels.length + 1);
        if (!this.channelNames.has(part)) {
            this.channelNames.set(part, name);
        }
    }
    /** `send`/`sendStatus` state objects of every node device known (seeded), for devices older than these states. */
    ensureNodeSendStates() {
        const objects = [];
        for (const hex of this.knownNodeHexes()) {
            const base = (0, mapping_1.nodeBaseId)(hex);
            for (const spec of [table_1.NODE_SEND_STATES.send, table_1.NODE_SEND_STATES.status]) {
                objects.push({ id: `${base}.${spec.id}`, type: 'state', common: spec.common });
            }
        }
        this.applyBatch({ objects, states: [] });
    }
    seedObject(id, obj) {
        this.objects.add(id);
        this.trackNode(id);
        if (obj.type === 'device') {
            const name = nameText(obj.common?.name);
            if (name !== undefined) {
                this.deviceNames.set(id, name);
            }
        }
        else if (obj.type === 'state' && UPGRADABLE_ROOTS.some(root => id.startsWith(root))) {
            this.seededCommons.set(id, fingerprint(obj.common));
        }
    }
    ensureContainer(entry) {
        const { id } = entry;
        if (entry.type === 'state') {
            // a state object without a value (send command states): create once, upgrade an old one like data states
            if (this.objects.has(id)) {
                this.verifySeeded(id, entry.common);
            }
            else if (!this.creating.has(id)) {
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
    rename(id, name) {
        void this.enqueueOp('extendObject', id, () => this.adapter.extendObjectAsync(id, { common: { name } }));
    }
    create(id, obj) {
        const hex = (0, mapping_1.nodeHexOf)(id);
        this.trackNode(id);
        const parentId = parentOf(id);
        const parent = parentId === undefined ? undefined : this.creating.get(parentId);
        const removal = hex === undefined ? undefined : this.removals.get(hex);
        const createdName = obj.type === 'device' ? nameText(obj.common.name) : undefined;
        const epoch = this.epochOf(id);
        const run = () => this.enqueueOp('setObjectNotExists', id, () => this.adapter.setObjectNotExistsAsync(id, obj), epoch);
        // after a removal of the node under way, and after the parent (a failed parent fails the child)
        const gate = removal ? (parent ? removal.then(() => parent) : removal.then(() => true)) : parent;
        const promise = (gate ? gate.then(ok => (ok ? run() : false)) : run()).then(ok => {
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
                const value = this.waiting.get(id);
                this.waiting.delete(id);
                if (ok) {
                    this.setPending(id, value);
                }
                else if (this.values.get(id) === value) {
                    this.values.delete(id); // retry with the next update
                }
            }
            this.pump();
            return ok;
        });
        this.creating.set(id, promise);
    }
    /** Brings an old object's type/role/unit/states in line with the table, once per start. */
    verifySeeded(id, common) {
        const existing = this.seededCommons.get(id);
        if (existing === undefined) {
            return;
        }
        this.seededCommons.delete(id);
        if (existing === fingerprint(common)) {
            return;
        }
        const part = { type: common.type, role: common.role };
        if (common.unit !== undefined) {
            part.unit = common.unit;
        }
        if (common.states !== undefined) {
            part.states = common.states;
        }
        void this.enqueueOp('extendObject', id, () => this.adapter.extendObjectAsync(id, { common: part }));
    }
    // ---- Values ----------------------------------------------------------------------------------------------------
    queueState(entry) {
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
    rememberValue(id, value) {
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
    trackNode(id) {
        const hex = (0, mapping_1.nodeHexOf)(id);
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
    epochOf(id) {
        const hex = (0, mapping_1.nodeHexOf)(id);
        return hex === undefined ? 0 : (this.epochs.get(hex) ?? 0);
    }
    /**
     * Queues an object call. `epoch` is the node's removal generation when the call was decided; it is dropped if the
     * node was removed since (default: now).
     */
    enqueueOp(kind, id, run, epoch = this.epochOf(id)) {
        if (this.closed) {
            return Promise.resolve(false);
        }
        const hex = (0, mapping_1.nodeHexOf)(id);
        return new Promise(resolve => {
            this.ops.push({ kind, id, hex, epoch, run, done: resolve });
            this.pump();
        });
    }
    pump() {
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
    objectBacklog() {
        return this.creating.size + this.removals.size;
    }
    /** While new nodes appear fast (see `churnWindowMs`): the time the churn ends if no further new node comes. */
    churnEnd(now) {
        if (this.arrivalTimes.length < this.churnNewNodes) {
            return undefined;
        }
        const end = this.arrivalTimes[this.arrivalNext] + this.churnWindowMs;
        return end > now ? end : undefined;
    }
    noteNewNode() {
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
    deferNode(node, isNew) {
        const now = Date.now();
        if (this.awaiting.has(node.hex)) {
            this.awaiting.set(node, now); // the newest record, moved to the front when heard since
            return true;
        }
        if (!isNew ||
            this.closed ||
            this.awaiting.size >= this.maxNodes ||
            !(0, mapping_1.isNodeHex)(node.hex) ||
            this.nodeKeys.has(node.hex) ||
            (this.awaiting.size === 0 && this.objectBacklog() < this.highWater && this.churnEnd(now) === undefined)) {
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
    admit() {
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
                const node = churnEnd === undefined
                    ? this.awaiting.pop()
                    : this.awaiting.takeWaitingSince(now - 2 * this.churnWindowMs);
                if (node === undefined) {
                    break;
                }
                this.writeNode(node, ALL_SECTIONS);
            }
        }
        finally {
            this.admitting = false;
        }
        if (churnEnd !== undefined && this.awaiting.size > 0 && this.admitTimer === undefined) {
            this.admitTimer = this.adapter.setTimeout(() => {
                this.admitTimer = undefined;
                this.checkIdle();
            }, Math.min(churnEnd - now, this.churnWindowMs) + 1);
        }
    }
    setPending(id, value) {
        if (!this.pending.has(id)) {
            this.pendingOrder.push(id);
        }
        this.pending.set(id, value);
    }
    /**
     * Oldest pending value whose state is not being written right now. Walks the FIFO of ids (a Map walked from its
     * start would skip ever more deleted entries); ids of states in flight go to the back, at most maxInFlight of them.
     */
    takePending() {
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
            const value = this.pending.get(id);
            this.pending.delete(id);
            return [id, value];
        }
        return undefined;
    }
    runOp(op) {
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
                }
                else if (op.kind === 'extendObject') {
                    this.count.objectsExtended++;
                }
                else {
                    this.count.objectsDeleted++;
                }
            }
            catch (e) {
                this.fail(op.kind, op.id, e);
            }
            return () => op.done(ok);
        });
    }
    runWrite(id, value) {
        this.inFlightStates.add(id);
        this.written.set(id, value);
        this.track(id, async () => {
            try {
                await this.adapter.setState(id, value, true);
                this.count.writes++;
            }
            catch (e) {
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
    track(id, task) {
        this.inFlight++;
        const work = task().then(after => {
            this.inFlight--;
            this.inFlightWork.delete(work);
            after();
            this.pump();
        });
        this.inFlightWork.set(work, id);
    }
    isIdle() {
        return (this.inFlight === 0 &&
            this.awaiting.size === 0 &&
            this.ops.length === 0 &&
            this.pending.size === 0 &&
            this.waiting.size === 0 &&
            this.creating.size === 0 &&
            this.removals.size === 0);
    }
    /** Admits waiting nodes if the object backlog allows, then resolves `flush()` waiters when idle. */
    checkIdle() {
        if (this.awaiting.size > 0) {
            this.admit();
        }
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
    fail(kind, id, e) {
        this.count.errors++;
        const text = `states: ${kind} ${id} failed: ${errorText(e)}`;
        if (this.warned.has(kind)) {
            this.adapter.log.debug(text);
        }
        else {
            this.warned.add(kind);
            this.adapter.log.warn(`${text} (further ${kind} errors are logged at debug level)`);
        }
    }
}
exports.StateWriter = StateWriter;
