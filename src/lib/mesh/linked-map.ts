/**
 * A Map that keeps its entries in a doubly linked list: oldest first, O(1) move-to-newest and remove-oldest.
 * (A plain Map used as a queue degrades: V8 leaves a hole per deleted entry and iterating from the front to find
 * the oldest skips all of them until the table is rehashed, which makes "evict oldest" O(n) under churn.)
 */
interface Link<K, V> {
    key: K;
    value: V;
    prev: Link<K, V> | undefined;
    next: Link<K, V> | undefined;
}

export class LinkedMap<K, V> {
    private readonly index = new Map<K, Link<K, V>>();
    private head: Link<K, V> | undefined;
    private tail: Link<K, V> | undefined;

    get size(): number {
        return this.index.size;
    }

    get(key: K): V | undefined {
        return this.index.get(key)?.value;
    }

    has(key: K): boolean {
        return this.index.has(key);
    }

    /** Adds at the newest end; an existing key keeps its position and gets the new value. */
    set(key: K, value: V): void {
        const link = this.index.get(key);
        if (link !== undefined) {
            link.value = value;
            return;
        }
        const added: Link<K, V> = { key, value, prev: this.tail, next: undefined };
        if (this.tail !== undefined) {
            this.tail.next = added;
        } else {
            this.head = added;
        }
        this.tail = added;
        this.index.set(key, added);
    }

    /** Moves the key to the newest end; false when unknown. */
    touch(key: K): boolean {
        const link = this.index.get(key);
        if (link === undefined) {
            return false;
        }
        if (link !== this.tail) {
            this.unlink(link);
            link.prev = this.tail;
            link.next = undefined;
            if (this.tail !== undefined) {
                this.tail.next = link;
            } else {
                this.head = link;
            }
            this.tail = link;
        }
        return true;
    }

    delete(key: K): V | undefined {
        const link = this.index.get(key);
        if (link === undefined) {
            return undefined;
        }
        this.index.delete(key);
        this.unlink(link);
        return link.value;
    }

    /** The oldest value, or undefined when empty. */
    oldest(): V | undefined {
        return this.head?.value;
    }

    /** Removes and returns the oldest value. */
    shift(): V | undefined {
        const link = this.head;
        if (link === undefined) {
            return undefined;
        }
        this.index.delete(link.key);
        this.unlink(link);
        return link.value;
    }

    clear(): void {
        this.index.clear();
        this.head = undefined;
        this.tail = undefined;
    }

    /**
     * Values, oldest first. Removing the value just yielded while iterating is safe.
     *
     * @yields {V} each value, oldest first
     */
    *values(): IterableIterator<V> {
        let link = this.head;
        while (link !== undefined) {
            const next = link.next;
            yield link.value;
            link = next;
        }
    }

    private unlink(link: Link<K, V>): void {
        if (link.prev !== undefined) {
            link.prev.next = link.next;
        } else {
            this.head = link.next;
        }
        if (link.next !== undefined) {
            link.next.prev = link.prev;
        } else {
            this.tail = link.prev;
        }
        link.prev = undefined;
        link.next = undefined;
    }
}
