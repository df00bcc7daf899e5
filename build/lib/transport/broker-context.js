"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.emptyStats = emptyStats;
exports.warnLimited = warnLimited;
function emptyStats() {
    return { refusedAuth: 0, oversizedTopics: 0, oversizedPackets: 0, refusedClients: 0, invalidUtf8: 0 };
}
/**
 * A warning that a remote party can repeat: the first of `key` in a window at warn level (with how many were
 * suppressed before, `more` naming them), the rest at debug.
 */
function warnLimited(ctx, key, text, more = 'more since the last report') {
    const suppressed = ctx.limiter.allow(key);
    if (suppressed === undefined) {
        ctx.log.debug(text);
    }
    else {
        ctx.log.warn(suppressed ? `${text} (${suppressed} ${more})` : text);
    }
}
