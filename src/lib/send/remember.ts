/** Bounded bookkeeping of the send path (packet ids, replies): a Map kept in insertion order, the oldest goes first. */

/** Entries the send path keeps per kind of bookkeeping. */
export const MAX_REMEMBERED = 256;

/** Sets `key` → `value` as the newest entry; drops the oldest beyond `max`. */
export function remember<K, V>(map: Map<K, V>, key: K, value: V, max = MAX_REMEMBERED): void {
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
