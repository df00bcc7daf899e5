"use strict";
/** Bounded bookkeeping of the send path (packet ids, replies): a Map kept in insertion order, the oldest goes first. */
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_REMEMBERED = void 0;
exports.remember = remember;
/** Entries the send path keeps per kind of bookkeeping. */
exports.MAX_REMEMBERED = 256;
/** Sets `key` → `value` as the newest entry; drops the oldest beyond `max`. */
function remember(map, key, value, max = exports.MAX_REMEMBERED) {
    map.delete(key);
    map.set(key, value);
    while (map.size > max) {
        const oldest = map.keys().next();
        if (oldest.done) {
            break;
        }
        map.delete(oldest.value);
    }
}
