/**
 * The DB queue: every DB call of the writer goes through here, at most `maxInFlight` at a time. Object calls go
 * first (a value needs its object), then queued values, oldest first; a value queued again before it was written
 * only replaces the queued one (bursts coalesce). Never throws: failures are counted and logged once per kind.
 */
import type { StatesAdapter } from './adapter';
import { Fifo } from './fifo';

export type ObjectCallKind = 'setObjectNotExists' | 'extendObject' | 'delObject';
export type DbErrorKind = ObjectCallKind | 'setState' | 'seedObjects' | 'seedStates';

export interface ObjectCall {
    kind: ObjectCallKind;
    id: string;
    /** Node the call belongs to; calls of a node removed meanwhile are dropped. */
    hex?: string;
    /** The node's removal generation when the call was decided. */
    epoch: number;
    run: () => Promise<unknown>;
    done: (ok: boolean) => void;
}

export interface DbQueueHooks {
    /** False when the call's node was removed since it was queued: it is dropped. */
    isCurrent(call: ObjectCall): boolean;
    /** A value is handed to the DB. */
    writeStarted(id: string, value: ioBroker.StateValue): void;
    writeFailed(id: string, value: ioBroker.StateValue): void;
    /** After every pump (the writer admits awaiting nodes and resolves flushes here). */
    settled(): void;
}

export class DbQueue {
    readonly count = { writes: 0, objectsCreated: 0, objectsExtended: 0, objectsDeleted: 0, errors: 0 };
    private readonly calls = new Fifo<ObjectCall>();
    /** Values to write whose object exists (id → newest value). */
    private readonly queued = new Map<string, ioBroker.StateValue>();
    /** Ids of `queued` in arrival order (may hold stale ids, skipped when taken). */
    private readonly queuedOrder = new Fifo<string>();
    /** States whose value is being written right now. */
    private readonly writing = new Set<string>();
    /** DB calls in flight → the id they concern. */
    private readonly running = new Map<Promise<void>, string>();
    private inFlight = 0;
    private readonly warned = new Set<DbErrorKind>();
    private closed = false;

    constructor(
        private readonly adapter: StatesAdapter,
        private readonly maxInFlight: number,
        private readonly hooks: DbQueueHooks,
    ) {}

    /** DB calls outstanding. */
    get inFlightCount(): number {
        return this.inFlight;
    }

    /** Values queued (not yet handed to the DB). */
    get queuedCount(): number {
        return this.queued.size;
    }

    /** Values being written. */
    get writingCount(): number {
        return this.writing.size;
    }

    isIdle(): boolean {
        return this.inFlight === 0 && this.calls.length === 0 && this.queued.size === 0;
    }

    queueValue(id: string, value: ioBroker.StateValue): void {
        if (!this.queued.has(id)) {
            this.queuedOrder.push(id);
        }
        this.queued.set(id, value);
    }

    dropValue(id: string): void {
        this.queued.delete(id);
    }

    /** Queues an object call; resolves true when it succeeded, false when it failed or was dropped. */
    enqueueCall(call: Omit<ObjectCall, 'done'>): Promise<boolean> {
        if (this.closed) {
            return Promise.resolve(false);
        }
        return new Promise<boolean>(resolve => {
            this.calls.push({ ...call, done: resolve });
            this.pump();
        });
    }

    /** The DB calls in flight for ids matching `belongs` (a node removal awaits them). */
    runningFor(belongs: (id: string) => boolean): Promise<void>[] {
        return [...this.running].filter(([, id]) => belongs(id)).map(([work]) => work);
    }

    pump(): void {
        while (!this.closed && this.inFlight < this.maxInFlight) {
            const call = this.calls.shift();
            if (call) {
                this.runCall(call);
                continue;
            }
            const next = this.takeQueued();
            if (!next) {
                break;
            }
            this.runWrite(next[0], next[1]);
        }
        this.hooks.settled();
    }

    fail(kind: DbErrorKind, id: string, e: unknown): void {
        this.count.errors++;
        const text = `states: ${kind} ${id} failed: ${e instanceof Error ? e.message : String(e)}`;
        if (this.warned.has(kind)) {
            this.adapter.log.debug(text);
        } else {
            this.warned.add(kind);
            this.adapter.log.warn(`${text} (further ${kind} errors are logged at debug level)`);
        }
    }

    /** Drops everything queued; calls in flight finish but start nothing new. */
    close(): void {
        this.closed = true;
        this.queued.clear();
        this.queuedOrder.drain();
        for (const call of this.calls.drain()) {
            call.done(false);
        }
    }

    /**
     * Oldest queued value whose state is not being written right now. Walks the FIFO of ids (a Map walked from its
     * start would skip ever more deleted entries); ids of states in flight go to the back, at most maxInFlight of them.
     */
    private takeQueued(): [string, ioBroker.StateValue] | undefined {
        let budget = this.queuedOrder.length;
        while (budget-- > 0) {
            const id = this.queuedOrder.shift();
            if (id === undefined || !this.queued.has(id)) {
                continue; // already written or dropped
            }
            if (this.writing.has(id)) {
                this.queuedOrder.push(id);
                continue;
            }
            const value = this.queued.get(id) as ioBroker.StateValue;
            this.queued.delete(id);
            return [id, value];
        }
        return undefined;
    }

    private runCall(call: ObjectCall): void {
        if (this.closed || !this.hooks.isCurrent(call)) {
            call.done(false);
            return;
        }
        this.track(call.id, async () => {
            let ok = false;
            try {
                await call.run();
                ok = true;
                if (call.kind === 'setObjectNotExists') {
                    this.count.objectsCreated++;
                } else if (call.kind === 'extendObject') {
                    this.count.objectsExtended++;
                } else {
                    this.count.objectsDeleted++;
                }
            } catch (e) {
                this.fail(call.kind, call.id, e);
            }
            return () => call.done(ok);
        });
    }

    private runWrite(id: string, value: ioBroker.StateValue): void {
        this.writing.add(id);
        this.hooks.writeStarted(id, value);
        this.track(id, async () => {
            try {
                await this.adapter.setState(id, value, true);
                this.count.writes++;
            } catch (e) {
                this.fail('setState', id, e);
                this.hooks.writeFailed(id, value);
            }
            return () => this.writing.delete(id);
        });
    }

    /** Runs one DB call inside the in-flight bound; `task` returns what to do once the slot is released. */
    private track(id: string, task: () => Promise<() => void>): void {
        this.inFlight++;
        const work: Promise<void> = task().then(after => {
            this.inFlight--;
            this.running.delete(work);
            after();
            this.pump();
        });
        this.running.set(work, id);
    }
}
