/** The writer's options and counters, and their defaults (`writerLimits`: the options as the parts use them). */

/**
 * Default bound of DB calls in flight. Every `setState` is four sequential DB round trips in js-controller 7 (object
 * read, state GET, SET, PUBLISH): at 64 the adapter still waited on the DB a fifth of the time; 128 measured 10–15 %
 * more writes a second in the bench (alternating runs, js-controller 7.1.1), 256 no better than 128.
 */
export const DEFAULT_MAX_IN_FLIGHT = 128;

export interface StateWriterOptions {
    /** DB calls (object + state) outstanding at most. Default `DEFAULT_MAX_IN_FLIGHT`. */
    maxInFlight?: number;
    /** Node cap of the mesh model; sizes the value cache. Default 1000. */
    maxNodes?: number;
    /** Explicit value cache size (default: maxNodes × 80 + 1000). */
    maxCachedValues?: number;
    /**
     * Object operations (creations and node deletions under way) above which NEW nodes await their objects; they
     * are admitted again while the backlog is below half of it. Default 500 (see docs/ARCHITECTURE.md, States).
     */
    maxObjectBacklog?: number;
    /**
     * Churn guard: while at least `churnNewNodes` new nodes (default: a tenth of maxNodes, at least 10) appear within
     * `churnWindowMs` (default 1000), new nodes await their objects whatever the backlog (see docs/ARCHITECTURE.md).
     */
    churnWindowMs?: number;
    churnNewNodes?: number;
    /**
     * Our own node number (0 = none, the default). Only DMs addressed to it are written to `messages.direct`;
     * can be set later with `setOwnNodeNum`.
     */
    ownNodeNum?: number;
}

export interface StateWriterStats {
    /** Successful state writes. */
    writes: number;
    /** Successful setObjectNotExists calls. */
    objectsCreated: number;
    /** extendObject calls (device renames, role/unit upgrades of old objects). */
    objectsExtended: number;
    /** Node trees deleted. */
    objectsDeleted: number;
    /** Updates skipped because the value did not change. */
    unchanged: number;
    /** Failed DB calls. */
    errors: number;
    /** Values not yet written (queued, parked until their object exists, being written) plus nodes awaiting objects. */
    backlog: number;
    /** New nodes whose objects are not queued yet (admission control); each counts once in `backlog`. */
    awaitingObjects: number;
    /** Object operations under way (creations queued or running, node deletions): what admission control bounds. */
    objectBacklog: number;
    inFlight: number;
    knownObjects: number;
    cachedValues: number;
}

/** The options with their defaults, as whole numbers in range. */
export interface WriterLimits {
    maxInFlight: number;
    maxNodes: number;
    maxCachedValues: number;
    maxObjectBacklog: number;
    churnWindowMs: number;
    churnNewNodes: number;
    /** 0 = none. */
    ownNodeNum: number;
}

/** A valid node number as unsigned 32 bit, else 0 (none). */
export function ownNodeNumOf(num: number | undefined): number {
    return typeof num === 'number' && Number.isInteger(num) && num > 0 && num <= 0xffffffff ? num >>> 0 : 0;
}

/** Fills in the defaults of `StateWriterOptions` and brings every bound to a whole number of at least 1. */
export function writerLimits(options: StateWriterOptions = {}): WriterLimits {
    const whole = (value: number, min = 1): number => Math.max(min, Math.floor(value));
    const maxNodes = whole(options.maxNodes ?? 1000);
    return {
        maxInFlight: whole(options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT),
        maxNodes,
        maxCachedValues: whole(options.maxCachedValues ?? maxNodes * 80 + 1000, 100),
        maxObjectBacklog: whole(options.maxObjectBacklog ?? 500),
        churnWindowMs: whole(options.churnWindowMs ?? 1000),
        churnNewNodes: whole(options.churnNewNodes ?? Math.max(10, Math.ceil(maxNodes / 10))),
        ownNodeNum: ownNodeNumOf(options.ownNodeNum),
    };
}
