"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Fifo = void 0;
/** FIFO with O(1) shift. */
class Fifo {
    items = [];
    head = 0;
    get length() {
        return this.items.length - this.head;
    }
    push(item) {
        this.items.push(item);
    }
    shift() {
        if (this.head >= this.items.length) {
            return undefined;
        }
        const item = this.items[this.head];
        this.items[this.head++] = undefined;
        if (this.head > 1024 && this.head * 2 > this.items.length) {
            this.items = this.items.slice(this.head);
            this.head = 0;
        }
        return item;
    }
    drain() {
        const rest = this.items.slice(this.head).filter((i) => i !== undefined);
        this.items = [];
        this.head = 0;
        return rest;
    }
}
exports.Fifo = Fifo;
