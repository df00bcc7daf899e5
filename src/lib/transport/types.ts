/**
 * The transport contract shared by the embedded broker and the MQTT client. Nothing here knows ioBroker:
 * the adapter injects its logger and its timer functions, so the layer runs (and is tested) on its own.
 */

export interface TransportLogger {
    error(message: string): void;
    warn(message: string): void;
    info(message: string): void;
    debug(message: string): void;
}

/** The adapter's `this.setTimeout`/`this.clearTimeout` in production (cleared automatically on unload). */
export interface Timers {
    setTimeout: (callback: () => void, ms: number) => unknown;
    clearTimeout: (handle: unknown) => void;
}

export interface InboundMessage {
    topic: string;
    payload: Buffer;
    /** Epoch milliseconds when the transport received the message. */
    arrival: number;
    /** Broker mode: id of the publishing client. Client mode: undefined (the remote broker does not tell). */
    clientId?: string;
}

export interface TransportStatus {
    /** Broker mode: at least one client is connected. Client mode: connected to the remote broker. */
    connected: boolean;
    /** Broker mode: sorted ids of the connected clients. Client mode: always []. */
    clients: string[];
}

export interface Transport {
    readonly mode: 'broker' | 'client';
    /** Rejects with a clear Error on fatal start problems (port in use, unusable certificates, bad URL). */
    start(): Promise<void>;
    /** Closes servers, sockets, clients and timers. Idempotent. */
    stop(): Promise<void>;
    /** Rejects when the message cannot be handed over (client mode: not connected). */
    publish(topic: string, payload: Uint8Array, qos?: 0 | 1): Promise<void>;
    status(): TransportStatus;
    onMessage(handler: (message: InboundMessage) => void): void;
    onStatus(handler: (status: TransportStatus) => void): void;
}
