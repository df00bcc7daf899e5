/** FIFO with O(1) shift. */
export class Fifo<T> {
    private items: (T | undefined)[] = [];
    private head = 0;

    get length(): number {
        return this.items.length - this.head;
    }

    push(item: T): void {
        this.items.push(item);
    }

    shift(): T | undefined {
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

    drain(): T[] {
        const rest = this.items.slice(this.head).filter((i): i is T => i !== undefined);
        this.items = [];
        this.head = 0;
        return rest;
    }
}
