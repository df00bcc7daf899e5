"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DbQueue = void 0;
const fifo_1 = require("./fifo");
class DbQueue {
    adapter;
    maxInFlight;
    hooks;
    count = { writes: 0, objectsCreated: 0, objectsExtended: 0, objectsDeleted: 0, errors: 0 };
    calls = new fifo_1.Fifo();
    /** Values to write whose object exists (id → newest value). */
    queued = new Map();
    /** Ids of `queued` in arrival order (may hold stale ids, skipped when taken). */
    queuedOrder = new fifo_1.Fifo();
    /** States whose value is being written right now. */
    writing = new Set();
    /** DB calls in flight → the id they concern. */
    running = new Map();
    inFlight = 0;
    warned = new Set();
    closed = false;
    constructor(adapter, maxInFlight, hooks) {
        this.adapter = adapter;
        this.maxInFlight = maxInFlight;
        this.hooks = hooks;
    }
    /** DB calls outstanding. */
    get inFlightCount() {
        return this.inFlight;
    }
    /** Values queued (not yet handed to the DB). */
    get queuedCount() {
        return this.queued.size;
    }
    /** Values being written. */
    get writingCount() {
        return this.writing.size;
    }
    isIdle() {
        return this.inFlight === 0 && this.calls.length === 0 && this.queued.size === 0;
    }
    queueValue(id, value) {
        if (!this.queued.has(id)) {
            this.queuedOrder.push(id);
        }
        this.queued.set(id, value);
    }
    dropValue(id) {
        this.queued.delete(id);
    }
    /** Queues an object call; resolves true when it succeeded, false when it failed or was dropped. */
    enqueueCall(call) {
        if (this.closed) {
            return Promise.resolve(false);
        }
        return new Promise(resolve => {
            this.calls.push({ ...call, done: resolve });
            this.pump();
        });
    }
    /** The DB calls in flight for ids matching `belongs` (a node removal awaits them). */
    runningFor(belongs) {
        return [...this.running].filter(([, id]) => belongs(id)).map(([work]) => work);
    }
    pump() {
        while (!this.closed && this.inFlight < this.maxInFlight) {
            const call = this.calls.shift();
            if (call) {
                this.runCall(call);
                continue;
            }
            const next = this.takeQueued();
            if (!next) {
                break;
            }
            this.runWrite(next[0], next[1]);
        }
        this.hooks.settled();
    }
    fail(kind, id, e) {
        this.count.errors++;
        const text = `states: ${kind} ${id} failed: ${e instanceof Error ? e.message : String(e)}`;
        if (this.warned.has(kind)) {
            this.adapter.log.debug(text);
        }
        else {
            this.warned.add(kind);
            this.adapter.log.warn(`${text} (further ${kind} errors are logged at debug level)`);
        }
    }
    /** Drops everything queued; calls in flight finish but start nothing new. */
    close() {
        this.closed = true;
        this.queued.clear();
        this.queuedOrder.drain();
        for (const call of this.calls.drain()) {
            call.done(false);
        }
    }
    /**
     * Oldest queued value whose state is not being written right now. Walks the FIFO of ids (a Map walked from its
     * start would skip ever more deleted entries); ids of states in flight go to the back, at most maxInFlight of them.
     */
    takeQueued() {
        let budget = this.queuedOrder.length;
        while (budget-- > 0) {
            const id = this.queuedOrder.shift();
            if (id === undefined || !this.queued.has(id)) {
                continue; // already written or dropped
            }
            if (this.writing.has(id)) {
                this.queuedOrder.push(id);
                continue;
            }
            const value = this.queued.get(id);
            this.queued.delete(id);
            return [id, value];
        }
        return undefined;
    }
    runCall(call) {
        if (this.closed || !this.hooks.isCurrent(call)) {
            call.done(false);
            return;
        }
        this.track(call.id, async () => {
            let ok = false;
            try {
                await call.run();
                ok = true;
                if (call.kind === 'setObjectNotExists') {
                    this.count.objectsCreated++;
                }
                else if (call.kind === 'extendObject') {
                    this.count.objectsExtended++;
                }
                else {
                    this.count.objectsDeleted++;
                }
            }
            catch (e) {
                this.fail(call.kind, call.id, e);
            }
            return () => call.done(ok);
        });
    }
    runWrite(id, value) {
        this.writing.add(id);
        this.hooks.writeStarted(id, value);
        this.track(id, async () => {
            try {
                await this.adapter.setState(id, value, true);
                this.count.writes++;
            }
            catch (e) {
                this.fail('setState', id, e);
                this.hooks.writeFailed(id, value);
            }
            return () => this.writing.delete(id);
        });
    }
    /** Runs one DB call inside the in-flight bound; `task` returns what to do once the slot is released. */
    track(id, task) {
        this.inFlight++;
        const work = task().then(after => {
            this.inFlight--;
            this.running.delete(work);
            after();
            this.pump();
        });
        this.running.set(work, id);
    }
}
exports.DbQueue = DbQueue;
