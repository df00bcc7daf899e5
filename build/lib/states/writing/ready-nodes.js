"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ReadyNodes = void 0;
const batches_1 = require("../batches");
/** True when every element of `part` is in `all` (no array built: this runs for every packet). */
function containsAll(all, part) {
    for (const item of part) {
        if (!all.has(item)) {
            return false;
        }
    }
    return true;
}
class ReadyNodes {
    byHex = new Map();
    /** True when the node's device with this head and the containers of all `sections` exist. */
    has(hex, head, sections) {
        const ready = this.byHex.get(hex);
        return ready !== undefined && ready.head === head && containsAll(ready.sections, sections);
    }
    /**
     * Records that the node's device (with `head`) and the containers of `sections` exist; a section without data yet
     * is left out (its container comes with its first value).
     */
    add(node, head, sections) {
        const ready = this.byHex.get(node.hex);
        const entry = ready?.head === head ? ready : { head, sections: new Set() };
        sections.forEach(section => (0, batches_1.sectionHasData)(node, section) && entry.sections.add(section));
        this.byHex.set(node.hex, entry);
    }
    delete(hex) {
        this.byHex.delete(hex);
    }
}
exports.ReadyNodes = ReadyNodes;
