"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SendStateAcks = void 0;
exports.sendStateRequest = sendStateRequest;
/** The send request a write of `val` to the target's send state stands for. */
function sendStateRequest(target, val) {
    return target.kind === 'channel' ? { text: val, channel: target.name } : { text: val, to: `!${target.hex}` };
}
/**
 * Matches send-state writes to packet ids. The messenger reports the first status of a request (with its packet id)
 * synchronously inside `send`, so the write being sent then is the one that packet belongs to.
 */
class SendStateAcks {
    confirm;
    /** Writes waiting for their packet to be published, by packet id. */
    waiting = new Map();
    sending;
    constructor(confirm) {
        this.confirm = confirm;
    }
    /** Runs `send` (which must report its first status synchronously) with `write` as the write being sent. */
    sendFor(write, send) {
        this.sending = write;
        try {
            send();
        }
        finally {
            this.sending = undefined;
        }
    }
    /** Every send status, in order: binds the write being sent, confirms on `sent`/`acked`, forgets on `failed`. */
    onStatus(status) {
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
        }
        else if (status.status === 'failed') {
            this.waiting.delete(status.id);
        }
    }
    /** Writes still waiting (for tests and diagnostics). */
    get pending() {
        return this.waiting.size;
    }
}
exports.SendStateAcks = SendStateAcks;
