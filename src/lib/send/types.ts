/**
 * Types shared by the send path. The layer is pure: time, timers and the transport are injected, so tests drive it
 * with fake timers and a fake publish function.
 */

/** Injected timers (the adapter passes its own `setTimeout`/`clearTimeout` so they are cleared on unload). */
export interface Timers {
    setTimeout: (callback: () => void, ms: number) => unknown;
    clearTimeout: (handle: unknown) => void;
}

/** Publishes one MQTT message; rejects when the transport is disconnected or the publish failed. */
export type PublishFn = (topic: string, payload: Uint8Array) => Promise<void>;

/** Final and intermediate states of a text sent by the user. */
export type SendState = 'queued' | 'sent' | 'acked' | 'failed';

/** One status change of a send, reported through `onStatus` (the states layer shows it). */
export interface SendStatus {
    /** Packet id of the (first part of the) message; 0 when the request was rejected before an id was assigned. */
    id: number;
    /** `!xxxxxxxx` of the destination, or `broadcast`. */
    to: string;
    /** Channel name the message goes out on (`PKI` for PKI direct messages). */
    channel: string;
    status: SendState;
    error?: string;
    text: string;
    /** Number of packets the text was split into (when more than one). */
    parts?: number;
    /** Epoch ms of this status change. */
    time: number;
}

/** What `Messenger.send` resolves to once the final status is known. Never rejects. */
export interface SendResult {
    id: number;
    status: SendState;
    error?: string;
    parts?: number;
}
