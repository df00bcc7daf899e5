"use strict";
/** Whether `maxNodes` fits the process's heap: the start-up memory hint (pure). */
Object.defineProperty(exports, "__esModule", { value: true });
exports.HEAP_PER_NODE_KB = exports.BASE_HEAP_MB = void 0;
exports.memoryAdvice = memoryAdvice;
/**
 * Heap of the adapter without nodes, MB: the libraries alone hold ~40 MB (js-controller's adapter library, the MQTT
 * packet library's number cache, protobuf descriptors), measured in a heap snapshot; with margin for garbage.
 */
exports.BASE_HEAP_MB = 64;
/**
 * Heap per node at `maxNodes` (records, value caches, ids, tab rows), KB: measured 18–20 KB through the real pipeline
 * with 1,000 and 4,000 nodes; with margin.
 */
exports.HEAP_PER_NODE_KB = 32;
/** Share of the heap limit the estimate may use before the adapter warns (GC needs room to work). */
const HEAP_HEADROOM = 0.85;
/**
 * A warning when `maxNodes` nodes would likely not fit the process's V8 heap limit (the instance's memory limit,
 * `memoryLimitMB`, when the user set one; else Node's default), else undefined. Big meshes need it raised, and an
 * out-of-memory crash loop would be far worse than this line.
 */
function memoryAdvice(maxNodes, heapLimitMB) {
    const neededMB = Math.ceil(exports.BASE_HEAP_MB + (maxNodes * exports.HEAP_PER_NODE_KB) / 1024);
    if (!(heapLimitMB > 0) || neededMB <= heapLimitMB * HEAP_HEADROOM) {
        return undefined;
    }
    const suggestMB = Math.ceil(neededMB / HEAP_HEADROOM / 128) * 128;
    return (`maxNodes ${maxNodes} may need about ${neededMB} MB of memory, but this instance may only use ${Math.round(heapLimitMB)} MB: ` +
        `raise its memory limit (Instances → this instance → edit → "Memory limit (MB)") to ${suggestMB} MB or lower maxNodes`);
}
