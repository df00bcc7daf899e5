"use strict";
/** The writer's options and counters, and their defaults (`writerLimits`: the options as the parts use them). */
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_MAX_IN_FLIGHT = void 0;
exports.ownNodeNumOf = ownNodeNumOf;
exports.writerLimits = writerLimits;
/**
 * Default bound of DB calls in flight. Every `setState` is four sequential DB round trips in js-controller 7 (object
 * read, state GET, SET, PUBLISH): at 64 the adapter still waited on the DB a fifth of the time; 128 measured 10–15 %
 * more writes a second in the bench (alternating runs, js-controller 7.1.1), 256 no better than 128.
 */
exports.DEFAULT_MAX_IN_FLIGHT = 128;
/** A valid node number as unsigned 32 bit, else 0 (none). */
function ownNodeNumOf(num) {
    return typeof num === 'number' && Number.isInteger(num) && num > 0 && num <= 0xffffffff ? num >>> 0 : 0;
}
/** Fills in the defaults of `StateWriterOptions` and brings every bound to a whole number of at least 1. */
function writerLimits(options = {}) {
    const whole = (value, min = 1) => Math.max(min, Math.floor(value));
    const maxNodes = whole(options.maxNodes ?? 1000);
    return {
        maxInFlight: whole(options.maxInFlight ?? exports.DEFAULT_MAX_IN_FLIGHT),
        maxNodes,
        maxCachedValues: whole(options.maxCachedValues ?? maxNodes * 80 + 1000, 100),
        maxObjectBacklog: whole(options.maxObjectBacklog ?? 500),
        churnWindowMs: whole(options.churnWindowMs ?? 1000),
        churnNewNodes: whole(options.churnNewNodes ?? Math.max(10, Math.ceil(maxNodes / 10))),
        ownNodeNum: ownNodeNumOf(options.ownNodeNum),
    };
}
