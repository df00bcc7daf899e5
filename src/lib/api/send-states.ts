/**
 * The writable `channels.<id>.send` / `nodes.<hex>.send` states: a write becomes a send request, and the write is
 * confirmed (ack=true, as ioBroker expects for a handled command) once its packet is published.
 */
import type { SendRequest, SendStatus } from '../send';
import type { SendStateTarget } from '../states';

/** A command write waiting for its packet: full state id and the value written. */
export interface SendStateWrite {
    id: string;
    val: ioBroker.StateValue;
}

/** The send request a write of `val` to the target's send state stands for. */
export function sendStateRequest(target: SendStateTarget, val: ioBroker.StateValue): SendRequest {
    return target.kind === 'channel' ? { text: val, channel: target.name } : { text: val, to: `!${target.hex}` };
}

/**
 * Matches send-state writes to packet ids. The messenger reports the first status of a request (with its packet id)
 * synchronously inside `send`, so the write being sent then is the one that packet belongs to.
 */
export class SendStateAcks {
    /** Writes waiting for their packet to be published, by packet id. */
    private readonly waiting = new Map<number, SendStateWrite>();
    private sending?: SendStateWrite;

    constructor(private readonly confirm: (write: SendStateWrite) => void) {}

    /** Runs `send` (which must report its first status synchronously) with `write` as the write being sent. */
    sendFor(write: SendStateWrite, send: () => void): void {
        this.sending = write;
        try {
            send();
        } finally {
            this.sending = undefined;
        }
    }

    /** Every send status, in order: binds the write being sent, confirms on `sent`/`acked`, forgets on `failed`. */
    onStatus(status: SendStatus): void {
        if (this.sending && status.id !== 0 && !this.waiting.has(status.id)) {
            this.waiting.set(status.id, this.sending);
        }
        const write = this.waiting.get(status.id);
        if (!write) {
            return;
        }
        if (status.status === 'sent' || status.status === 'acked') {
            this.waiting.delete(status.id);
            this.confirm(write);
        } else if (status.status === 'failed') {
            this.waiting.delete(status.id);
        }
    }

    /** Writes still waiting (for tests and diagnostics). */
    get pending(): number {
        return this.waiting.size;
    }
}
