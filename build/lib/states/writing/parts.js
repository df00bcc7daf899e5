"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WriterParts = void 0;
const ids_1 = require("../ids");
const admission_1 = require("./admission");
const db_queue_1 = require("./db-queue");
const node_index_1 = require("./node-index");
const node_removal_1 = require("./node-removal");
const object_registry_1 = require("./object-registry");
const ready_nodes_1 = require("./ready-nodes");
const value_cache_1 = require("./value-cache");
const value_intake_1 = require("./value-intake");
class WriterParts {
    hooks;
    cache;
    nodes;
    db;
    registry;
    intake;
    admission;
    readyNodes = new ready_nodes_1.ReadyNodes();
    removal;
    constructor(adapter, limits, hooks) {
        this.hooks = hooks;
        this.cache = new value_cache_1.ValueCache(limits.maxCachedValues);
        this.nodes = new node_index_1.NodeIndex(limits.maxNodes * 4 + 1000, hex => this.admission.isAwaiting(hex));
        this.db = new db_queue_1.DbQueue(adapter, limits.maxInFlight, {
            isCurrent: call => call.hex === undefined || call.kind === 'delObject' || this.nodes.epochOfNode(call.hex) === call.epoch,
            writeStarted: (id, value) => this.cache.markStored(id, value),
            writeFailed: (id, value) => this.cache.writeFailed(id, value),
            settled: () => hooks.settled(),
        });
        this.registry = new object_registry_1.ObjectRegistry(adapter, {
            enqueue: (kind, id, run, epoch) => this.enqueueCall(kind, id, run, epoch),
            epochOf: id => this.nodes.epochOf(id),
            track: id => this.nodes.track(id),
            created: (id, ok) => this.intake.unpark(id, ok),
            isClosed: () => hooks.isClosed(),
        });
        this.intake = new value_intake_1.ValueIntake(this);
        this.admission = new admission_1.Admission(adapter, limits, {
            objectBacklog: () => this.registry.objectBacklog(),
            isKnown: hex => this.nodes.has(hex),
            admitNode: node => hooks.admitNode(node),
            recheck: () => hooks.settled(),
            isClosed: () => hooks.isClosed(),
        });
        this.removal = new node_removal_1.NodeRemoval(adapter, this, hooks);
    }
    /** Writes not yet done: values queued, parked and being written, plus one per node awaiting its objects. */
    backlog() {
        return this.db.queuedCount + this.intake.parkedCount + this.db.writingCount + this.admission.awaitingCount;
    }
    /** Nothing queued, parked, awaiting, created or deleted, and no DB call in flight. */
    isIdle() {
        return (this.db.isIdle() &&
            this.admission.awaitingCount === 0 &&
            this.intake.parkedCount === 0 &&
            this.registry.creatingCount === 0 &&
            this.registry.removals.size === 0);
    }
    /** Queues an object call, dropped if its node is removed before it runs (`epoch`: default now). */
    enqueueCall(kind, id, run, epoch = this.nodes.epochOf(id)) {
        if (this.hooks.isClosed()) {
            return Promise.resolve(false);
        }
        return this.db.enqueueCall({ kind, id, hex: (0, ids_1.nodeHexOf)(id), epoch, run });
    }
}
exports.WriterParts = WriterParts;
