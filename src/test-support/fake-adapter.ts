/**
 * In-memory StatesAdapter for unit tests of the StateWriter: objects and states in Maps, call counters,
 * configurable latency and failures. Integration tests use a real js-controller instead.
 */
import type { StatesAdapter, StatesLog, StoredObject, StoredState } from '../lib/states/writer';

export type FakeMethod =
    'setObjectNotExists' | 'extendObject' | 'setState' | 'delObject' | 'getAdapterObjects' | 'getStates';

export interface FakeAdapterOptions {
    namespace?: string;
    /** Awaited before every DB call completes (default: one macrotask via setImmediate). */
    latency?: () => Promise<void>;
}

export interface FakeObject {
    type: string;
    common: Record<string, unknown> & { name?: ioBroker.StringOrTranslated };
    native: Record<string, unknown>;
}

export interface FakeState {
    val: ioBroker.StateValue;
    ack: boolean;
    ts: number;
}

export class FakeLog implements StatesLog {
    readonly messages: { level: 'debug' | 'info' | 'warn' | 'error'; message: string }[] = [];

    debug(message: string): void {
        this.messages.push({ level: 'debug', message });
    }

    info(message: string): void {
        this.messages.push({ level: 'info', message });
    }

    warn(message: string): void {
        this.messages.push({ level: 'warn', message });
    }

    error(message: string): void {
        this.messages.push({ level: 'error', message });
    }

    at(level: 'debug' | 'info' | 'warn' | 'error'): string[] {
        return this.messages.filter(m => m.level === level).map(m => m.message);
    }
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Plain deep merge like extendObject (objects merged, everything else replaced). */
function merge(target: Record<string, unknown>, part: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...target };
    for (const [key, value] of Object.entries(part)) {
        const existing = out[key];
        out[key] = isRecord(existing) && isRecord(value) ? merge(existing, value) : value;
    }
    return out;
}

export class FakeAdapter implements StatesAdapter {
    readonly namespace: string;
    readonly log = new FakeLog();
    /** Relative id → object. */
    readonly objects = new Map<string, FakeObject>();
    /** Relative id → state. */
    readonly states = new Map<string, FakeState>();
    /** Every setState in call order. */
    readonly stateWrites: { id: string; val: ioBroker.StateValue }[] = [];
    /** Ids of objects created through setObjectNotExists, in creation order. */
    readonly createdOrder: string[] = [];
    /** setState calls whose object did not exist at that moment. */
    readonly writesWithoutObject: string[] = [];
    readonly calls: Record<FakeMethod, number> = {
        setObjectNotExists: 0,
        extendObject: 0,
        setState: 0,
        delObject: 0,
        getAdapterObjects: 0,
        getStates: 0,
    };
    /** Number of calls of each method that fail (counts down). */
    readonly failures: Partial<Record<FakeMethod, number>> = {};
    inFlight = 0;
    maxInFlightSeen = 0;
    private readonly latency: () => Promise<void>;
    private readonly timers = new Map<number, NodeJS.Timeout>();
    private timerSeq = 0;

    constructor(options: FakeAdapterOptions = {}) {
        this.namespace = options.namespace ?? 'meshtastic.0';
        this.latency = options.latency ?? (() => new Promise<void>(resolve => setImmediate(resolve)));
    }

    /** Makes the next `count` calls of `method` reject. */
    failNext(method: FakeMethod, count = 1): void {
        this.failures[method] = (this.failures[method] ?? 0) + count;
    }

    async setObjectNotExistsAsync(id: string, obj: ioBroker.SettableObject): Promise<{ id: string }> {
        await this.call('setObjectNotExists');
        if (!this.objects.has(id)) {
            this.objects.set(id, JSON.parse(JSON.stringify(obj)) as FakeObject);
            this.createdOrder.push(id);
        }
        return { id };
    }

    async extendObjectAsync(id: string, objPart: ioBroker.PartialObject): Promise<{ id: string }> {
        await this.call('extendObject');
        const existing = this.objects.get(id) ?? { type: 'state', common: {}, native: {} };
        const part = JSON.parse(JSON.stringify(objPart)) as Record<string, unknown>;
        this.objects.set(id, merge({ ...existing }, part) as unknown as FakeObject);
        return { id };
    }

    async setState(id: string, value: ioBroker.StateValue, ack: boolean): Promise<string> {
        if (!this.objects.has(id)) {
            this.writesWithoutObject.push(id);
        }
        await this.call('setState');
        const val = value === undefined ? null : value;
        this.states.set(id, { val, ack, ts: Date.now() });
        this.stateWrites.push({ id, val });
        return id;
    }

    async delObjectAsync(id: string, options: ioBroker.DelObjectOptions): Promise<void> {
        await this.call('delObject');
        const recursive = options.recursive === true;
        for (const key of [...this.objects.keys()]) {
            if (key === id || (recursive && key.startsWith(`${id}.`))) {
                this.objects.delete(key);
                this.states.delete(key);
            }
        }
    }

    async getAdapterObjectsAsync(): Promise<Record<string, StoredObject>> {
        await this.call('getAdapterObjects');
        const out: Record<string, StoredObject> = {};
        for (const [id, obj] of this.objects) {
            out[`${this.namespace}.${id}`] = obj;
        }
        return out;
    }

    async getStatesAsync(pattern: string): Promise<Record<string, StoredState>> {
        await this.call('getStates');
        const prefix = pattern.endsWith('*') ? pattern.slice(0, -1) : pattern;
        const out: Record<string, StoredState> = {};
        for (const [id, state] of this.states) {
            if (pattern.endsWith('*') ? id.startsWith(prefix) : id === pattern) {
                out[`${this.namespace}.${id}`] = { val: state.val };
            }
        }
        return out;
    }

    setTimeout(callback: () => void, ms: number): ioBroker.Timeout | undefined {
        const handle = ++this.timerSeq;
        this.timers.set(
            handle,
            setTimeout(() => {
                this.timers.delete(handle);
                callback();
            }, ms),
        );
        return handle as unknown as ioBroker.Timeout;
    }

    clearTimeout(timer: ioBroker.Timeout | undefined): void {
        const handle = timer as unknown as number;
        const t = this.timers.get(handle);
        if (t) {
            clearTimeout(t);
            this.timers.delete(handle);
        }
    }

    /** Timers still scheduled through `setTimeout`. */
    pendingTimers(): number {
        return this.timers.size;
    }

    /** Seeds an object directly (no counters). */
    putObject(id: string, obj: FakeObject): void {
        this.objects.set(id, obj);
    }

    /** Seeds a state directly (no counters). */
    putState(id: string, val: ioBroker.StateValue): void {
        this.states.set(id, { val, ack: true, ts: Date.now() });
    }

    /** Value of a state, or undefined. */
    val(id: string): ioBroker.StateValue | undefined {
        return this.states.get(id)?.val;
    }

    private async call(method: FakeMethod): Promise<void> {
        this.calls[method]++;
        this.inFlight++;
        this.maxInFlightSeen = Math.max(this.maxInFlightSeen, this.inFlight);
        try {
            await this.latency();
            const failures = this.failures[method] ?? 0;
            if (failures > 0) {
                this.failures[method] = failures - 1;
                throw new Error(`${method} failed (fake)`);
            }
        } finally {
            this.inFlight--;
        }
    }
}
