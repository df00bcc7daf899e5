"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Admission = void 0;
const ids_1 = require("../ids");
const awaiting_nodes_1 = require("./awaiting-nodes");
class Admission {
    timers;
    options;
    hooks;
    /** New nodes whose objects are not queued yet. */
    awaiting = new awaiting_nodes_1.AwaitingNodes();
    admitting = false;
    /** New nodes await while the object backlog is at least `highWater`, ... */
    highWater;
    /** ... and awaiting nodes are admitted while it is below `lowWater` (until `highWater` again). */
    lowWater;
    /** Times of the last `churnNewNodes` new nodes (a ring; `arrivalNext` is the oldest once it is full). */
    arrivalTimes = [];
    arrivalNext = 0;
    /** Re-checks while the churn guard holds nodes back (no event may come to do it). */
    timer;
    constructor(timers, options, hooks) {
        this.timers = timers;
        this.options = options;
        this.hooks = hooks;
        this.highWater = options.maxObjectBacklog;
        this.lowWater = Math.max(1, Math.floor(this.highWater / 2));
    }
    /** Nodes awaiting their objects. */
    get awaitingCount() {
        return this.awaiting.size;
    }
    isAwaiting(hex) {
        return this.awaiting.has(hex);
    }
    /** Takes a node out of the awaiting set (it is written or removed by the caller). */
    take(hex) {
        return this.awaiting.delete(hex);
    }
    noteNewNode() {
        const now = Date.now();
        if (this.arrivalTimes.length < this.options.churnNewNodes) {
            this.arrivalTimes.push(now);
            return;
        }
        this.arrivalTimes[this.arrivalNext] = now;
        this.arrivalNext = (this.arrivalNext + 1) % this.options.churnNewNodes;
    }
    /**
     * True when the node awaits its objects instead of being written now: a node already awaiting (its record is
     * live: the update is in it), or a new node while the object backlog is high, others await, or new nodes churn.
     * Only nodes the writer holds nothing of are held back, so dropping one later needs no DB call.
     */
    holds(node, isNew) {
        const now = Date.now();
        if (this.awaiting.has(node.hex)) {
            this.awaiting.set(node, now); // the newest record, moved to the front when heard since
            return true;
        }
        if (!isNew ||
            this.hooks.isClosed() ||
            this.awaiting.size >= this.options.maxNodes ||
            !(0, ids_1.isNodeHex)(node.hex) ||
            this.hooks.isKnown(node.hex) ||
            (this.awaiting.size === 0 &&
                this.hooks.objectBacklog() < this.highWater &&
                this.churnEnd(now) === undefined)) {
            return false;
        }
        this.awaiting.set(node, now);
        this.admit(); // admits it at once if nothing holds it back, else makes sure a timer looks again
        return true;
    }
    /**
     * Admits awaiting nodes while the object backlog is low: most recently heard first, or, while new nodes churn,
     * only those that kept their place for two churn windows (then a timer looks again).
     */
    admit() {
        if (this.admitting || this.hooks.isClosed() || this.awaiting.size === 0) {
            return;
        }
        const now = Date.now();
        const churnEnd = this.churnEnd(now);
        if (churnEnd === undefined && this.hooks.objectBacklog() >= this.lowWater) {
            return;
        }
        this.admitting = true;
        try {
            while (this.hooks.objectBacklog() < this.highWater) {
                const node = churnEnd === undefined
                    ? this.awaiting.pop()
                    : this.awaiting.takeAwaitingSince(now - 2 * this.options.churnWindowMs);
                if (node === undefined) {
                    break;
                }
                this.hooks.admitNode(node);
            }
        }
        finally {
            this.admitting = false;
        }
        if (churnEnd !== undefined && this.awaiting.size > 0 && this.timer === undefined) {
            this.timer = this.timers.setTimeout(() => {
                this.timer = undefined;
                this.hooks.recheck();
            }, Math.min(churnEnd - now, this.options.churnWindowMs) + 1);
        }
    }
    dispose() {
        this.awaiting.clear();
        if (this.timer !== undefined) {
            this.timers.clearTimeout(this.timer);
            this.timer = undefined;
        }
    }
    /** While new nodes appear fast: the time the churn ends if no further new node comes. */
    churnEnd(now) {
        if (this.arrivalTimes.length < this.options.churnNewNodes) {
            return undefined;
        }
        const end = this.arrivalTimes[this.arrivalNext] + this.options.churnWindowMs;
        return end > now ? end : undefined;
    }
}
exports.Admission = Admission;
