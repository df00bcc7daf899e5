/**
 * The object registry: which objects exist (seeded from the DB at start, created since), creations under way, node
 * deletions under way, device names, and the old objects not yet compared with the table. Creates every object once,
 * after its parent and after a deletion of its node under way (a failed parent fails the child); upgrades an old
 * object's type/role/unit/states to the table once per start.
 */
import { isNodeHex, nodeHexOf } from '../ids';
import type { ObjectEntry } from '../batches';
import { ROOT, type StateCommonSpec } from '../table';
import type { StatesAdapter, StoredObject } from './adapter';
import type { ObjectCallKind } from './db-queue';

export interface ObjectRegistryHooks {
    /** Queues an object call (`epoch`: the node's removal generation when decided; default now). */
    enqueue(kind: ObjectCallKind, id: string, run: () => Promise<unknown>, epoch?: number): Promise<boolean>;
    epochOf(id: string): number;
    /** Records an id under its node. */
    track(id: string): void;
    /** A creation settled (not called when the node was removed meanwhile). */
    created(id: string, ok: boolean): void;
    isClosed(): boolean;
}

/** Ids below these roots are owned by the writer alone; old objects there get role/unit upgrades. */
const UPGRADABLE_ROOTS = [`${ROOT.nodes}.`, `${ROOT.channels}.`];

function fingerprint(c: { type?: string; role?: string; unit?: string; states?: unknown } | undefined): string {
    if (!c) {
        return '';
    }
    return `${c.type ?? ''}|${c.role ?? ''}|${c.unit ?? ''}|${c.states === undefined ? '' : JSON.stringify(c.states)}`;
}

function nameText(name: ioBroker.StringOrTranslated | undefined): string | undefined {
    if (name === undefined) {
        return undefined;
    }
    return typeof name === 'string' ? name : name.en;
}

function parentOf(id: string): string | undefined {
    const dot = id.lastIndexOf('.');
    return dot > 0 ? id.slice(0, dot) : undefined;
}

export class ObjectRegistry {
    /** Objects known to exist. */
    private readonly existing = new Set<string>();
    /** Creations under way (id → resolves true when the object exists). */
    private readonly creating = new Map<string, Promise<boolean>>();
    /** Existing state objects not yet compared with the table: id → fingerprint of type/role/unit/states. */
    private readonly unverified = new Map<string, string>();
    /** Device id → the name it has (or is getting). */
    private readonly deviceNames = new Map<string, string>();
    /** Node deletions under way, by hex. */
    readonly removals = new Map<string, Promise<void>>();

    constructor(
        private readonly adapter: Pick<StatesAdapter, 'setObjectNotExistsAsync' | 'extendObjectAsync'>,
        private readonly hooks: ObjectRegistryHooks,
    ) {}

    get size(): number {
        return this.existing.size;
    }

    get creatingCount(): number {
        return this.creating.size;
    }

    /** Object operations under way (creations and node deletions): what admission control bounds. */
    objectBacklog(): number {
        return this.creating.size + this.removals.size;
    }

    exists(id: string): boolean {
        return this.existing.has(id);
    }

    isCreating(id: string): boolean {
        return this.creating.has(id);
    }

    /** An object seen at start. */
    seed(id: string, obj: StoredObject): void {
        this.existing.add(id);
        this.hooks.track(id);
        if (obj.type === 'device') {
            const name = nameText(obj.common?.name);
            if (name !== undefined) {
                this.deviceNames.set(id, name);
            }
        } else if (obj.type === 'state' && UPGRADABLE_ROOTS.some(root => id.startsWith(root))) {
            this.unverified.set(id, fingerprint(obj.common));
        }
    }

    /** Creates a container or value-less state object once (renames a device whose name changed). */
    ensure(entry: ObjectEntry): void {
        const { id } = entry;
        if (entry.type === 'state') {
            // a state object without a value (send command states): create once, upgrade an old one like data states
            if (this.existing.has(id)) {
                this.verify(id, entry.common);
            } else if (!this.creating.has(id)) {
                this.create(id, { type: 'state', common: { ...entry.common }, native: {} });
            }
            return;
        }
        if (entry.type === 'device') {
            const previous = this.deviceNames.get(id);
            this.deviceNames.set(id, entry.common.name);
            if (this.existing.has(id) && previous !== entry.common.name) {
                this.rename(id, entry.common.name);
            }
        }
        if (this.existing.has(id) || this.creating.has(id)) {
            return;
        }
        this.create(id, { type: entry.type, common: { ...entry.common }, native: {} });
    }

    /** Creates the state object of a value unless its creation is under way. */
    ensureState(id: string, common: StateCommonSpec): void {
        if (!this.creating.has(id)) {
            this.create(id, { type: 'state', common: { ...common }, native: {} });
        }
    }

    /** Brings an old object's type/role/unit/states in line with the table, once per start. */
    verify(id: string, common: StateCommonSpec): void {
        if (this.unverified.size === 0) {
            return;
        }
        const existing = this.unverified.get(id);
        if (existing === undefined) {
            return;
        }
        this.unverified.delete(id);
        if (existing === fingerprint(common)) {
            return;
        }
        const part: Partial<StateCommonSpec> = { type: common.type, role: common.role };
        if (common.unit !== undefined) {
            part.unit = common.unit;
        }
        if (common.states !== undefined) {
            part.states = common.states;
        }
        void this.hooks.enqueue('extendObject', id, () => this.adapter.extendObjectAsync(id, { common: part }));
    }

    /** Forgets an id (its node was removed): a creation under way is no longer current. */
    forget(id: string): void {
        this.existing.delete(id);
        this.creating.delete(id);
        this.unverified.delete(id);
        this.deviceNames.delete(id);
    }

    /** Ids of the existing objects directly below `parent` (e.g. `waypoints` → `waypoints.42`). */
    childrenOf(parent: string): string[] {
        const prefix = `${parent}.`;
        return [...this.existing].filter(id => id.startsWith(prefix) && id.indexOf('.', prefix.length) < 0);
    }

    /** Node hexes that have a device object (seeded at start or created since). */
    knownNodeHexes(): string[] {
        const out: string[] = [];
        const prefix = `${ROOT.nodes}.`;
        for (const id of this.existing) {
            if (id.startsWith(prefix) && id.indexOf('.', prefix.length) < 0) {
                const hex = id.slice(prefix.length);
                if (isNodeHex(hex)) {
                    out.push(hex);
                }
            }
        }
        return out;
    }

    private rename(id: string, name: string): void {
        void this.hooks.enqueue('extendObject', id, () => this.adapter.extendObjectAsync(id, { common: { name } }));
    }

    private create(id: string, obj: ioBroker.SettableObject): void {
        const hex = nodeHexOf(id);
        this.hooks.track(id);
        const parentId = parentOf(id);
        const parent = parentId === undefined ? undefined : this.creating.get(parentId);
        const removal = hex === undefined ? undefined : this.removals.get(hex);
        const createdName = obj.type === 'device' ? nameText(obj.common.name) : undefined;
        const epoch = this.hooks.epochOf(id);
        const run = (): Promise<boolean> =>
            this.hooks.enqueue('setObjectNotExists', id, () => this.adapter.setObjectNotExistsAsync(id, obj), epoch);
        // after a removal of the node under way, and after the parent (a failed parent fails the child)
        const gate = removal ? (parent ? removal.then(() => parent) : removal.then(() => true)) : parent;
        const promise: Promise<boolean> = (gate ? gate.then(ok => (ok ? run() : false)) : run()).then(ok => {
            if (this.creating.get(id) !== promise) {
                return ok; // node removed meanwhile: nothing of this creation is current any more
            }
            this.creating.delete(id);
            if (ok && !this.hooks.isClosed()) {
                this.existing.add(id);
                const wanted = this.deviceNames.get(id);
                if (createdName !== undefined && wanted !== undefined && wanted !== createdName) {
                    this.rename(id, wanted);
                }
            }
            this.hooks.created(id, ok);
            return ok;
        });
        this.creating.set(id, promise);
    }
}
