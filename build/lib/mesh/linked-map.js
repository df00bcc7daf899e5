"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LinkedMap = void 0;
class LinkedMap {
    index = new Map();
    head;
    tail;
    get size() {
        return this.index.size;
    }
    get(key) {
        return this.index.get(key)?.value;
    }
    has(key) {
        return this.index.has(key);
    }
    /** Adds at the newest end; an existing key keeps its position and gets the new value. */
    set(key, value) {
        const link = this.index.get(key);
        if (link !== undefined) {
            link.value = value;
            return;
        }
        const added = { key, value, prev: this.tail, next: undefined };
        if (this.tail !== undefined) {
            this.tail.next = added;
        }
        else {
            this.head = added;
        }
        this.tail = added;
        this.index.set(key, added);
    }
    /** Moves the key to the newest end; false when unknown. */
    touch(key) {
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
            }
            else {
                this.head = link;
            }
            this.tail = link;
        }
        return true;
    }
    delete(key) {
        const link = this.index.get(key);
        if (link === undefined) {
            return undefined;
        }
        this.index.delete(key);
        this.unlink(link);
        return link.value;
    }
    /** The oldest value, or undefined when empty. */
    oldest() {
        return this.head?.value;
    }
    /** Removes and returns the oldest value. */
    shift() {
        const link = this.head;
        if (link === undefined) {
            return undefined;
        }
        this.index.delete(link.key);
        this.unlink(link);
        return link.value;
    }
    clear() {
        this.index.clear();
        this.head = undefined;
        this.tail = undefined;
    }
    /**
     * Values, oldest first. Removing the value just yielded while iterating is safe.
     *
     * @yields {V} each value, oldest first
     */
    *values() {
        let link = this.head;
        while (link !== undefined) {
            const next = link.next;
            yield link.value;
            link = next;
        }
    }
    unlink(link) {
        if (link.prev !== undefined) {
            link.prev.next = link.next;
        }
        else {
            this.head = link.next;
        }
        if (link.next !== undefined) {
            link.next.prev = link.prev;
        }
        else {
            this.tail = link.prev;
        }
        link.prev = undefined;
        link.next = undefined;
    }
}
exports.LinkedMap = LinkedMap;
