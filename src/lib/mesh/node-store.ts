/**
 * The bounded set of known nodes, in least-recently-heard-first order: touching a node moves it to the newest end,
 * so the oldest end is always the eviction candidate (O(1)). Pure: no events, no timers; the model turns results
 * into events.
 */
import { LinkedMap } from './linked-map';
import { newNodeRecord, pushBounded } from './record';
import { sanitizeRecord } from './restore';
import type { NodeRecord, TextMessage } from './types';

/** Kept for importers of the restore from here. */
export { sanitizeRecord };

const DAY_MS = 86_400_000;

export interface CreateResult {
    node: NodeRecord;
    isNew: boolean;
    /** The least recently heard node, dropped to make room (only when `isNew` and the store was full). */
    evicted?: NodeRecord;
}

export class NodeStore {
    private readonly nodes = new LinkedMap<number, NodeRecord>();
    readonly maxNodes: number;
    readonly historySize: number;

    constructor(maxNodes: number, historySize: number) {
        this.maxNodes = Math.max(1, Math.floor(Number.isFinite(maxNodes) ? maxNodes : 1));
        this.historySize = Math.max(1, Math.floor(Number.isFinite(historySize) ? historySize : 1));
    }

    get size(): number {
        return this.nodes.size;
    }

    get(num: number): NodeRecord | undefined {
        return this.nodes.get(num);
    }

    has(num: number): boolean {
        return this.nodes.has(num);
    }

    /** Nodes, least recently heard first. */
    values(): IterableIterator<NodeRecord> {
        return this.nodes.values();
    }

    list(): NodeRecord[] {
        return [...this.nodes.values()];
    }

    /**
     * The node `num`, created (with `lastHeard = nowMs`) when unknown. Creating into a full store evicts the least
     * recently heard node first. An existing node is returned untouched (call `touch`).
     */
    getOrCreate(num: number, nowMs: number): CreateResult {
        const existing = this.nodes.get(num);
        if (existing !== undefined) {
            return { node: existing, isNew: false };
        }
        let evicted: NodeRecord | undefined;
        if (this.nodes.size >= this.maxNodes) {
            evicted = this.nodes.shift();
        }
        const node = newNodeRecord(num, nowMs);
        this.nodes.set(num, node);
        return evicted ? { node, isNew: true, evicted } : { node, isNew: true };
    }

    /** Marks the node heard now: sets `lastHeard` and moves it to the most recently heard end. */
    touch(node: NodeRecord, nowMs: number): void {
        node.lastHeard = nowMs;
        if (this.nodes.get(node.num) === node) {
            this.nodes.touch(node.num);
        }
    }

    remove(num: number): NodeRecord | undefined {
        return this.nodes.delete(num);
    }

    /** Removes nodes unheard for more than `purgeDays` days (0 = never); returns them. O(n). */
    purge(nowMs: number, purgeDays: number): NodeRecord[] {
        if (!(purgeDays > 0)) {
            return [];
        }
        const limit = purgeDays * DAY_MS;
        const removed: NodeRecord[] = [];
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
    pushText(node: NodeRecord, message: TextMessage): void {
        node.lastText = message;
        pushBounded(node.history, message, this.historySize);
    }

    /**
     * Nodes matching a user query, best first: exact number (`!a1b2c3d4`, `a1b2c3d4`, decimal `2712847316`),
     * then hex suffix of 4–7 digits (`c3d4`), then exact name, then case-insensitive substring of long or short name.
     * Ties: most recently heard first. At most `limit` results.
     */
    findByQuery(query: string, limit = 100): NodeRecord[] {
        const q = typeof query === 'string' ? query.trim().toLowerCase() : '';
        if (q.length === 0 || q.length > 64) {
            return [];
        }
        const bare = q.startsWith('!') ? q.slice(1) : q;
        const exact = new Set<number>();
        if (/^[0-9a-f]{8}$/.test(bare)) {
            exact.add(parseInt(bare, 16) >>> 0);
        }
        if (!q.startsWith('!') && /^\d{1,10}$/.test(q) && Number(q) <= 0xffffffff) {
            exact.add(Number(q));
        }
        const suffix = /^[0-9a-f]{4,7}$/.test(bare) ? bare : undefined;
        const hits: { node: NodeRecord; score: number }[] = [];
        for (const node of this.nodes.values()) {
            let score = -1;
            if (exact.has(node.num)) {
                score = 0;
            } else if (suffix !== undefined && node.hex.endsWith(suffix)) {
                score = 1;
            } else if (node.user) {
                const long = node.user.longName.toLowerCase();
                const short = node.user.shortName.toLowerCase();
                if (long === q || short === q) {
                    score = 2;
                } else if (long.includes(q) || short.includes(q)) {
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
    restore(records: readonly unknown[]): number {
        if (!Array.isArray(records)) {
            return 0;
        }
        const valid: NodeRecord[] = [];
        for (const raw of records) {
            const record = sanitizeRecord(raw, this.historySize);
            if (record) {
                valid.push(record);
            }
        }
        valid.sort((a, b) => a.lastHeard - b.lastHeard);
        const merged = new Map<number, NodeRecord>();
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
