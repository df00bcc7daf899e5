/**
 * The writer's parts and how they are connected: each part's hooks into the others, and the questions that span
 * several parts (the backlog, idle). `StateWriter` is the front end over them.
 */
import type { NodeRecord } from '../../mesh/types';
import { nodeHexOf } from '../ids';
import type { StatesAdapter } from './adapter';
import { Admission } from './admission';
import { DbQueue, type ObjectCallKind } from './db-queue';
import { NodeIndex } from './node-index';
import { NodeRemoval } from './node-removal';
import { ObjectRegistry } from './object-registry';
import type { WriterLimits } from './options';
import { ReadyNodes } from './ready-nodes';
import { ValueCache } from './value-cache';
import { ValueIntake } from './value-intake';

export interface WriterPartsHooks {
    /** Queues an admitted node's whole tree and current values. */
    admitNode(node: Readonly<NodeRecord>): void;
    /** After every DB pump, removal and forgotten node (admit awaiting nodes, resolve flushes). */
    settled(): void;
    isClosed(): boolean;
}

export class WriterParts {
    readonly cache: ValueCache;
    readonly nodes: NodeIndex;
    readonly db: DbQueue;
    readonly registry: ObjectRegistry;
    readonly intake: ValueIntake;
    readonly admission: Admission;
    readonly readyNodes = new ReadyNodes();
    readonly removal: NodeRemoval;

    constructor(
        adapter: StatesAdapter,
        limits: WriterLimits,
        private readonly hooks: WriterPartsHooks,
    ) {
        this.cache = new ValueCache(limits.maxCachedValues);
        this.nodes = new NodeIndex(limits.maxNodes * 4 + 1000, hex => this.admission.isAwaiting(hex));
        this.db = new DbQueue(adapter, limits.maxInFlight, {
            isCurrent: call =>
                call.hex === undefined || call.kind === 'delObject' || this.nodes.epochOfNode(call.hex) === call.epoch,
            writeStarted: (id, value) => this.cache.markStored(id, value),
            writeFailed: (id, value) => this.cache.writeFailed(id, value),
            settled: () => hooks.settled(),
        });
        this.registry = new ObjectRegistry(adapter, {
            enqueue: (kind, id, run, epoch) => this.enqueueCall(kind, id, run, epoch),
            epochOf: id => this.nodes.epochOf(id),
            track: id => this.nodes.track(id),
            created: (id, ok) => this.intake.unpark(id, ok),
            isClosed: () => hooks.isClosed(),
        });
        this.intake = new ValueIntake(this);
        this.admission = new Admission(adapter, limits, {
            objectBacklog: () => this.registry.objectBacklog(),
            isKnown: hex => this.nodes.has(hex),
            admitNode: node => hooks.admitNode(node),
            recheck: () => hooks.settled(),
            isClosed: () => hooks.isClosed(),
        });
        this.removal = new NodeRemoval(adapter, this, hooks);
    }

    /** Writes not yet done: values queued, parked and being written, plus one per node awaiting its objects. */
    backlog(): number {
        return this.db.queuedCount + this.intake.parkedCount + this.db.writingCount + this.admission.awaitingCount;
    }

    /** Nothing queued, parked, awaiting, created or deleted, and no DB call in flight. */
    isIdle(): boolean {
        return (
            this.db.isIdle() &&
            this.admission.awaitingCount === 0 &&
            this.intake.parkedCount === 0 &&
            this.registry.creatingCount === 0 &&
            this.registry.removals.size === 0
        );
    }

    /** Queues an object call, dropped if its node is removed before it runs (`epoch`: default now). */
    enqueueCall(
        kind: ObjectCallKind,
        id: string,
        run: () => Promise<unknown>,
        epoch = this.nodes.epochOf(id),
    ): Promise<boolean> {
        if (this.hooks.isClosed()) {
            return Promise.resolve(false);
        }
        return this.db.enqueueCall({ kind, id, hex: nodeHexOf(id), epoch, run });
    }
}
