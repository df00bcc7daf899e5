/**
 * Per node: every id the writer holds anything of (for forgetting the node at once), and its removal generation
 * (calls decided before a removal are dropped). Bounded: generations of nodes with nothing held are dropped oldest
 * first, so a flood of node ids does not grow it.
 */
import { nodeHexOf } from '../ids';

export class NodeIndex {
    private readonly ids = new Map<string, Set<string>>();
    /** Incremented when a node is removed. */
    private readonly epochs = new Map<string, number>();

    constructor(
        private readonly maxEpochs: number,
        /** Nodes awaiting their objects keep their generation. */
        private readonly isAwaiting: (hex: string) => boolean,
    ) {}

    /** Nodes whose removal generation is remembered (bounded). */
    get generations(): number {
        return this.epochs.size;
    }

    /** True when anything of the node is held (an object, a cached value, a queued call). */
    has(hex: string): boolean {
        return this.ids.has(hex);
    }

    /** Records an id under its node (ids outside `nodes.` are ignored). */
    track(id: string): void {
        const hex = nodeHexOf(id);
        if (hex === undefined) {
            return;
        }
        let ids = this.ids.get(hex);
        if (!ids) {
            ids = new Set();
            this.ids.set(hex, ids);
        }
        ids.add(id);
    }

    /** Removal generation of the node an id belongs to (0 outside `nodes.`). */
    epochOf(id: string): number {
        const hex = nodeHexOf(id);
        return hex === undefined ? 0 : (this.epochs.get(hex) ?? 0);
    }

    epochOfNode(hex: string): number {
        return this.epochs.get(hex) ?? 0;
    }

    /** Starts a new generation of the node and returns the ids held under it (now forgotten here). */
    forget(hex: string): ReadonlySet<string> {
        this.bumpEpoch(hex);
        const ids = this.ids.get(hex);
        this.ids.delete(hex);
        return ids ?? new Set();
    }

    private bumpEpoch(hex: string): void {
        const next = (this.epochs.get(hex) ?? 0) + 1;
        this.epochs.delete(hex);
        this.epochs.set(hex, next);
        if (this.epochs.size > this.maxEpochs) {
            for (const old of this.epochs.keys()) {
                if (this.epochs.size <= this.maxEpochs) {
                    break;
                }
                if (old !== hex && !this.ids.has(old) && !this.isAwaiting(old)) {
                    this.epochs.delete(old);
                }
            }
        }
    }
}
