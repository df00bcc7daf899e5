/**
 * Node removal: deletes a node's tree after its calls in flight and an earlier deletion under way, and forgets
 * everything held of it, so that nothing of the old tree is written or recreated afterwards.
 */
import { nodeBaseId } from '../ids';
import type { StatesAdapter } from './adapter';
import type { Admission } from './admission';
import type { DbQueue, ObjectCallKind } from './db-queue';
import type { NodeIndex } from './node-index';
import type { ObjectRegistry } from './object-registry';
import type { ReadyNodes } from './ready-nodes';
import type { ValueCache } from './value-cache';
import type { ValueIntake } from './value-intake';

/** The parts a removal touches (`WriterParts` has them; named here so that neither file imports the other's type). */
export interface RemovalParts {
    readonly admission: Admission;
    readonly nodes: NodeIndex;
    readonly readyNodes: ReadyNodes;
    readonly registry: ObjectRegistry;
    readonly cache: ValueCache;
    readonly db: DbQueue;
    readonly intake: ValueIntake;
    enqueueCall(kind: ObjectCallKind, id: string, run: () => Promise<unknown>): Promise<boolean>;
}

export class NodeRemoval {
    constructor(
        private readonly adapter: Pick<StatesAdapter, 'delObjectAsync'>,
        private readonly parts: RemovalParts,
        /** `settled`: called after every removal and forgotten node. */
        private readonly hooks: { settled(): void },
    ) {}

    /** Deletes `nodes.<hex>` (a valid hex) recursively and forgets it; resolves when done, never rejects. */
    async remove(hex: string): Promise<void> {
        const { admission, nodes, registry, db } = this.parts;
        if (admission.take(hex) !== undefined && !nodes.has(hex)) {
            // Nothing of it was queued (a deletion of an earlier tree, if any, is under way already): no DB call.
            this.hooks.settled();
            return;
        }
        const base = nodeBaseId(hex);
        this.forget(hex);
        const inFlight = db.runningFor(id => id === base || id.startsWith(`${base}.`));
        const previous = registry.removals.get(hex);
        const removal = (async (): Promise<void> => {
            await previous;
            await Promise.all(inFlight);
            await this.parts.enqueueCall('delObject', base, () =>
                this.adapter.delObjectAsync(base, { recursive: true }),
            );
        })();
        registry.removals.set(hex, removal);
        await removal;
        if (registry.removals.get(hex) === removal) {
            registry.removals.delete(hex);
        }
        this.hooks.settled();
    }

    /** Deletes an object tree outside `nodes.*` (a waypoint) and forgets the cached `ids` in it; never rejects. */
    async removeTree(base: string, ids: readonly string[]): Promise<void> {
        const { registry, cache, db, intake } = this.parts;
        for (const id of ids) {
            registry.forget(id);
            cache.forget(id);
            db.dropValue(id);
            intake.forget(id);
        }
        await this.parts.enqueueCall('delObject', base, () => this.adapter.delObjectAsync(base, { recursive: true }));
        this.hooks.settled();
    }

    /** Forgets everything held of a node without touching the DB; its next update recreates the objects. */
    forget(hex: string): void {
        const { nodes, readyNodes, registry, cache, db, intake } = this.parts;
        readyNodes.delete(hex);
        for (const id of nodes.forget(hex)) {
            registry.forget(id);
            cache.forget(id);
            db.dropValue(id);
            intake.forget(id);
        }
        this.hooks.settled();
    }
}
