"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.NodeStore = exports.sanitizeRecord = void 0;
/**
 * The bounded set of known nodes, in least-recently-heard-first order: touching a node moves it to the newest end,
 * so the oldest end is always the eviction candidate (O(1)). Pure: no events, no timers; the model turns results
 * into events.
 */
const linked_map_1 = require("./linked-map");
const record_1 = require("./record");
const restore_1 = require("./restore");
Object.defineProperty(exports, "sanitizeRecord", { enumerable: true, get: function () { return restore_1.sanitizeRecord; } });
const DAY_MS = 86_400_000;
class NodeStore {
    nodes = new linked_map_1.LinkedMap();
    maxNodes;
    historySize;
    constructor(maxNodes, historySize) {
        this.maxNodes = Math.max(1, Math.floor(Number.isFinite(maxNodes) ? maxNodes : 1));
        this.historySize = Math.max(1, Math.floor(Number.isFinite(historySize) ? historySize : 1));
    }
    get size() {
        return this.nodes.size;
    }
    get(num) {
        return this.nodes.get(num);
    }
    has(num) {
        return this.nodes.has(num);
    }
    /** Nodes, least recently heard first. */
    values() {
        return this.nodes.values();
    }
    list() {
        return [...this.nodes.values()];
    }
    /**
     * The node `num`, created (with `lastHeard = nowMs`) when unknown. Creating into a full store evicts the least
     * recently heard node first. An existing node is returned untouched (call `touch`).
     */
    getOrCreate(num, nowMs) {
        const existing = this.nodes.get(num);
        if (existing !== undefined) {
            return { node: existing, isNew: false };
        }
        let evicted;
        if (this.nodes.size >= this.maxNodes) {
            evicted = this.nodes.shift();
        }
        const node = (0, record_1.newNodeRecord)(num, nowMs);
        this.nodes.set(num, node);
        return evicted ? { node, isNew: true, evicted } : { node, isNew: true };
    }
    /** Marks the node heard now: sets `lastHeard` and moves it to the most recently heard end. */
    touch(node, nowMs) {
        node.lastHeard = nowMs;
        if (this.nodes.get(node.num) === node) {
            this.nodes.touch(node.num);
        }
    }
    remove(num) {
        return this.nodes.delete(num);
    }
    /** Removes nodes unheard for more than `purgeDays` days (0 = never); returns them. O(n). */
    purge(nowMs, purgeDays) {
        if (!(purgeDays > 0)) {
            return [];
        }
        const limit = purgeDays * DAY_MS;
        const removed = [];
        for (const node of this.nodes.values()) {
            if (nowMs - node.lastHeard > limit) {
                removed.push(node);
            }
        }
        for (const node of removed) {
            this.nodes.delete(node.num);
        }
        return removed;
    }
    /** Appends to the node's bounded text history (newest last) and sets `lastText`. */
    pushText(node, message) {
        node.lastText = message;
        (0, record_1.pushBounded)(node.history, message, this.historySize);
    }
    /**
     * Nodes matching a user query, best first: exact number (`!a1b2c3d4`, `a1b2c3d4`, decimal `2712847316`),
     * then hex suffix of 4–7 digits (`c3d4`), then exact name, then case-insensitive substring of long or short name.
     * Ties: most recently heard first. At most `limit` results.
     */
    findByQuery(query, limit = 100) {
        const q = typeof query === 'string' ? query.trim().toLowerCase() : '';
        if (q.length === 0 || q.length > 64) {
            return [];
        }
        const bare = q.startsWith('!') ? q.slice(1) : q;
        const exact = new Set();
        if (/^[0-9a-f]{8}$/.test(bare)) {
            exact.add(parseInt(bare, 16) >>> 0);
        }
        if (!q.startsWith('!') && /^\d{1,10}$/.test(q) && Number(q) <= 0xffffffff) {
            exact.add(Number(q));
        }
        const suffix = /^[0-9a-f]{4,7}$/.test(bare) ? bare : undefined;
        const hits = [];
        for (const node of this.nodes.values()) {
            let score = -1;
            if (exact.has(node.num)) {
                score = 0;
            }
            else if (suffix !== undefined && node.hex.endsWith(suffix)) {
                score = 1;
            }
            else if (node.user) {
                const long = node.user.longName.toLowerCase();
                const short = node.user.shortName.toLowerCase();
                if (long === q || short === q) {
                    score = 2;
                }
                else if (long.includes(q) || short.includes(q)) {
                    score = 3;
                }
            }
            if (score >= 0) {
                hits.push({ node, score });
            }
        }
        hits.sort((a, b) => a.score - b.score || b.node.lastHeard - a.node.lastHeard);
        return hits.slice(0, Math.max(0, limit)).map(h => h.node);
    }
    /**
     * Seeds the store from persisted records (e.g. at adapter start), without events. Every record is validated and
     * copied (ids recomputed from `num`, names re-sanitised, histories cut to `historySize`); invalid ones are
     * skipped. When more than `maxNodes` are given, the most recently heard are kept. Existing nodes with the same
     * number are replaced. Returns the number of records taken.
     */
    restore(records) {
        if (!Array.isArray(records)) {
            return 0;
        }
        const valid = [];
        for (const raw of records) {
            const record = (0, restore_1.sanitizeRecord)(raw, this.historySize);
            if (record) {
                valid.push(record);
            }
        }
        valid.sort((a, b) => a.lastHeard - b.lastHeard);
        const merged = new Map();
        for (const node of this.nodes.values()) {
            merged.set(node.num, node);
        }
        for (const record of valid) {
            // Sorted by lastHeard: of two records for one node, the more recent wins.
            merged.set(record.num, record);
        }
        const ordered = [...merged.values()].sort((a, b) => a.lastHeard - b.lastHeard);
        this.nodes.clear();
        for (const node of ordered.slice(Math.max(0, ordered.length - this.maxNodes))) {
            this.nodes.set(node.num, node);
        }
        return valid.filter(record => this.nodes.get(record.num) === record).length;
    }
}
exports.NodeStore = NodeStore;
