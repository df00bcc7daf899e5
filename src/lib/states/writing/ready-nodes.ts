/**
 * The nodes whose objects are ready: per node hex, the head (device entry) it was written with and the sections whose
 * containers all exist. Later updates of such a section skip the object entries altogether (most packets touch nodes
 * and sections seen before); a new head (the node was renamed) starts over.
 */
import type { NodeRecord, NodeSection } from '../../mesh/types';
import { type ObjectEntry, sectionHasData } from '../batches';

interface ReadyNode {
    head: readonly ObjectEntry[];
    sections: Set<NodeSection>;
}

/** True when every element of `part` is in `all` (no array built: this runs for every packet). */
function containsAll<T>(all: ReadonlySet<T>, part: ReadonlySet<T>): boolean {
    for (const item of part) {
        if (!all.has(item)) {
            return false;
        }
    }
    return true;
}

export class ReadyNodes {
    private readonly byHex = new Map<string, ReadyNode>();

    /** True when the node's device with this head and the containers of all `sections` exist. */
    has(hex: string, head: readonly ObjectEntry[] | undefined, sections: ReadonlySet<NodeSection>): boolean {
        const ready = this.byHex.get(hex);
        return ready !== undefined && ready.head === head && containsAll(ready.sections, sections);
    }

    /**
     * Records that the node's device (with `head`) and the containers of `sections` exist; a section without data yet
     * is left out (its container comes with its first value).
     */
    add(node: Readonly<NodeRecord>, head: readonly ObjectEntry[], sections: ReadonlySet<NodeSection>): void {
        const ready = this.byHex.get(node.hex);
        const entry: ReadyNode = ready?.head === head ? ready : { head, sections: new Set() };
        sections.forEach(section => sectionHasData(node, section) && entry.sections.add(section));
        this.byHex.set(node.hex, entry);
    }

    delete(hex: string): void {
        this.byHex.delete(hex);
    }
}
