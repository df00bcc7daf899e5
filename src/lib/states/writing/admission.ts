/**
 * Admission control and the churn guard: which new nodes get their object trees now and which await them (see
 * docs/ARCHITECTURE.md, "States: admission control and the churn guard"). An awaiting node costs a reference to its
 * live record only: no DB call, no queued value, nothing at all when it is evicted while it awaits.
 */
import type { NodeRecord } from '../../mesh/types';
import { isNodeHex } from '../ids';
import { AwaitingNodes } from './awaiting-nodes';
import type { StatesAdapter } from './adapter';

export interface AdmissionOptions {
    maxNodes: number;
    /** Object backlog at which new nodes await their objects (they are admitted again below half of it). */
    maxObjectBacklog: number;
    churnWindowMs: number;
    churnNewNodes: number;
}

export interface AdmissionHooks {
    /** Object creations and deletions under way. */
    objectBacklog(): number;
    /** True when the writer holds anything of the node (it is not new to the writer). */
    isKnown(hex: string): boolean;
    /** Queues the node's whole tree and current values. */
    admitNode(node: Readonly<NodeRecord>): void;
    /** Looks again (the churn timer fired). */
    recheck(): void;
    isClosed(): boolean;
}

export class Admission {
    /** New nodes whose objects are not queued yet. */
    private readonly awaiting = new AwaitingNodes();
    private admitting = false;
    /** New nodes await while the object backlog is at least `highWater`, ... */
    private readonly highWater: number;
    /** ... and awaiting nodes are admitted while it is below `lowWater` (until `highWater` again). */
    private readonly lowWater: number;
    /** Times of the last `churnNewNodes` new nodes (a ring; `arrivalNext` is the oldest once it is full). */
    private readonly arrivalTimes: number[] = [];
    private arrivalNext = 0;
    /** Re-checks while the churn guard holds nodes back (no event may come to do it). */
    private timer: ioBroker.Timeout | undefined;

    constructor(
        private readonly timers: Pick<StatesAdapter, 'setTimeout' | 'clearTimeout'>,
        private readonly options: AdmissionOptions,
        private readonly hooks: AdmissionHooks,
    ) {
        this.highWater = options.maxObjectBacklog;
        this.lowWater = Math.max(1, Math.floor(this.highWater / 2));
    }

    /** Nodes awaiting their objects. */
    get awaitingCount(): number {
        return this.awaiting.size;
    }

    isAwaiting(hex: string): boolean {
        return this.awaiting.has(hex);
    }

    /** Takes a node out of the awaiting set (it is written or removed by the caller). */
    take(hex: string): Readonly<NodeRecord> | undefined {
        return this.awaiting.delete(hex);
    }

    noteNewNode(): void {
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
    holds(node: Readonly<NodeRecord>, isNew: boolean): boolean {
        const now = Date.now();
        if (this.awaiting.has(node.hex)) {
            this.awaiting.set(node, now); // the newest record, moved to the front when heard since
            return true;
        }
        if (
            !isNew ||
            this.hooks.isClosed() ||
            this.awaiting.size >= this.options.maxNodes ||
            !isNodeHex(node.hex) ||
            this.hooks.isKnown(node.hex) ||
            (this.awaiting.size === 0 &&
                this.hooks.objectBacklog() < this.highWater &&
                this.churnEnd(now) === undefined)
        ) {
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
    admit(): void {
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
                const node =
                    churnEnd === undefined
                        ? this.awaiting.pop()
                        : this.awaiting.takeAwaitingSince(now - 2 * this.options.churnWindowMs);
                if (node === undefined) {
                    break;
                }
                this.hooks.admitNode(node);
            }
        } finally {
            this.admitting = false;
        }
        if (churnEnd !== undefined && this.awaiting.size > 0 && this.timer === undefined) {
            this.timer = this.timers.setTimeout(
                () => {
                    this.timer = undefined;
                    this.hooks.recheck();
                },
                Math.min(churnEnd - now, this.options.churnWindowMs) + 1,
            );
        }
    }

    dispose(): void {
        this.awaiting.clear();
        if (this.timer !== undefined) {
            this.timers.clearTimeout(this.timer);
            this.timer = undefined;
        }
    }

    /** While new nodes appear fast: the time the churn ends if no further new node comes. */
    private churnEnd(now: number): number | undefined {
        if (this.arrivalTimes.length < this.options.churnNewNodes) {
            return undefined;
        }
        const end = this.arrivalTimes[this.arrivalNext] + this.options.churnWindowMs;
        return end > now ? end : undefined;
    }
}
