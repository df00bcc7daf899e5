"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ObjectRegistry = void 0;
/**
 * The object registry: which objects exist (seeded from the DB at start, created since), creations under way, node
 * deletions under way, device names, and the old objects not yet compared with the table. Creates every object once,
 * after its parent and after a deletion of its node under way (a failed parent fails the child); upgrades an old
 * object's type/role/unit/states to the table once per start.
 */
const ids_1 = require("../ids");
const table_1 = require("../table");
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
class ObjectRegistry {
    adapter;
    hooks;
    /** Objects known to exist. */
    existing = new Set();
    /** Creations under way (id → resolves true when the object exists). */
    creating = new Map();
    /** Existing state objects not yet compared with the table: id → fingerprint of type/role/unit/states. */
    unverified = new Map();
    /** Device id → the name it has (or is getting). */
    deviceNames = new Map();
    /** Node deletions under way, by hex. */
    removals = new Map();
    constructor(adapter, hooks) {
        this.adapter = adapter;
        this.hooks = hooks;
    }
    get size() {
        return this.existing.size;
    }
    get creatingCount() {
        return this.creating.size;
    }
    /** Object operations under way (creations and node deletions): what admission control bounds. */
    objectBacklog() {
        return this.creating.size + this.removals.size;
    }
    exists(id) {
        return this.existing.has(id);
    }
    isCreating(id) {
        return this.creating.has(id);
    }
    /** An object seen at start. */
    seed(id, obj) {
        this.existing.add(id);
        this.hooks.track(id);
        if (obj.type === 'device') {
            const name = nameText(obj.common?.name);
            if (name !== undefined) {
                this.deviceNames.set(id, name);
            }
        }
        else if (obj.type === 'state' && UPGRADABLE_ROOTS.some(root => id.startsWith(root))) {
            this.unverified.set(id, fingerprint(obj.common));
        }
    }
    /** Creates a container or value-less state object once (renames a device whose name changed). */
    ensure(entry) {
        const { id } = entry;
        if (entry.type === 'state') {
            // a state object without a value (send command states): create once, upgrade an old one like data states
            if (this.existing.has(id)) {
                this.verify(id, entry.common);
            }
            else if (!this.creating.has(id)) {
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
    ensureState(id, common) {
        if (!this.creating.has(id)) {
            this.create(id, { type: 'state', common: { ...common }, native: {} });
        }
    }
    /** Brings an old object's type/role/unit/states in line with the table, once per start. */
    verify(id, common) {
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
        const part = { type: common.type, role: common.role };
        if (common.unit !== undefined) {
            part.unit = common.unit;
        }
        if (common.states !== undefined) {
            part.states = common.states;
        }
        void this.hooks.enqueue('extendObject', id, () => this.adapter.extendObjectAsync(id, { common: part }));
    }
    /** Forgets an id (its node was removed): a creation under way is no longer current. */
    forget(id) {
        this.existing.delete(id);
        this.creating.delete(id);
        this.unverified.delete(id);
        this.deviceNames.delete(id);
    }
    /** Ids of the existing objects directly below `parent` (e.g. `waypoints` → `waypoints.42`). */
    childrenOf(parent) {
        const prefix = `${parent}.`;
        return [...this.existing].filter(id => id.startsWith(prefix) && id.indexOf('.', prefix.length) < 0);
    }
    /** Node hexes that have a device object (seeded at start or created since). */
    knownNodeHexes() {
        const out = [];
        const prefix = `${table_1.ROOT.nodes}.`;
        for (const id of this.existing) {
            if (id.startsWith(prefix) && id.indexOf('.', prefix.length) < 0) {
                const hex = id.slice(prefix.length);
                if ((0, ids_1.isNodeHex)(hex)) {
                    out.push(hex);
                }
            }
        }
        return out;
    }
    rename(id, name) {
        void this.hooks.enqueue('extendObject', id, () => this.adapter.extendObjectAsync(id, { common: { name } }));
    }
    create(id, obj) {
        const hex = (0, ids_1.nodeHexOf)(id);
        this.hooks.track(id);
        const parentId = parentOf(id);
        const parent = parentId === undefined ? undefined : this.creating.get(parentId);
        const removal = hex === undefined ? undefined : this.removals.get(hex);
        const createdName = obj.type === 'device' ? nameText(obj.common.name) : undefined;
        const epoch = this.hooks.epochOf(id);
        const run = () => this.hooks.enqueue('setObjectNotExists', id, () => this.adapter.setObjectNotExistsAsync(id, obj), epoch);
        // after a removal of the node under way, and after the parent (a failed parent fails the child)
        const gate = removal ? (parent ? removal.then(() => parent) : removal.then(() => true)) : parent;
        const promise = (gate ? gate.then(ok => (ok ? run() : false)) : run()).then(ok => {
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
exports.ObjectRegistry = ObjectRegistry;
