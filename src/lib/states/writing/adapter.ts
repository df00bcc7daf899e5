/** The part of ioBroker the writer talks to: a real adapter instance satisfies `StatesAdapter`. */

/** The log methods the writer uses. */
export interface StatesLog {
    debug(message: string): void;
    info(message: string): void;
    warn(message: string): void;
    error(message: string): void;
}

/** What the writer needs to know about an existing object (a subset of any ioBroker object). */
export interface StoredObject {
    type: string;
    common?: {
        name?: ioBroker.StringOrTranslated;
        type?: string;
        role?: string;
        unit?: string;
        states?: unknown;
    };
}

/** What the writer needs to know about an existing state. */
export interface StoredState {
    val: ioBroker.StateValue;
}

/**
 * The part of `ioBroker.Adapter` the writer uses; a real adapter instance satisfies it.
 * Ids passed in are relative to the namespace; ids returned by the two getters may be full (`meshtastic.0.x`).
 */
export interface StatesAdapter {
    readonly namespace: string;
    readonly log: StatesLog;
    setObjectNotExistsAsync(id: string, obj: ioBroker.SettableObject): Promise<unknown>;
    extendObjectAsync(id: string, objPart: ioBroker.PartialObject): Promise<unknown>;
    /**
     * Promise form (no callback). A plain value with `ack` rather than a state object: js-controller validates a
     * state object's every field before each write, which costs measurably at thousands of writes a second.
     */
    setState(id: string, value: ioBroker.StateValue, ack: boolean): Promise<unknown>;
    delObjectAsync(id: string, options: ioBroker.DelObjectOptions): Promise<unknown>;
    /** All folder/device/channel/state objects of the instance. */
    getAdapterObjectsAsync(): Promise<Record<string, StoredObject>>;
    getStatesAsync(pattern: string): Promise<Record<string, StoredState | null | undefined>>;
    /** Adapter timers (`this.setTimeout`), used by `flush(timeoutMs)` and the churn guard (see `churnWindowMs`). */
    setTimeout: (callback: () => void, ms: number) => ioBroker.Timeout | undefined;
    clearTimeout: (timer: ioBroker.Timeout | undefined) => void;
}
