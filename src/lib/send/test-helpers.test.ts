/**
 * Shared fakes for the send path's tests (a `.test.ts` file so the build leaves it out; it has no tests itself).
 */
import sinon from 'sinon';
import type { Timers } from './types';

/** 2026-01-01T00:00:00Z */
export const T0 = Date.UTC(2026, 0, 1);

/** Timers that go through the (sinon-faked) globals at call time. */
export const globalTimers: Timers = {
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: handle => clearTimeout(handle as NodeJS.Timeout),
};

export interface Published {
    topic: string;
    payload: Uint8Array;
    time: number;
}

/**
 * A transport double: records successful publishes, rejects while disconnected (like the real client) and can be
 * told to reject or to hold the next publishes.
 */
export class FakeTransport {
    connected = true;
    readonly published: Published[] = [];
    attempts = 0;
    /** Reject this many upcoming publishes even while connected. */
    failNext = 0;
    /** When set, publishes wait until `release()`; the connection state at release decides the outcome. */
    hold = false;
    private held: { topic: string; payload: Uint8Array; resolve: () => void; reject: (e: Error) => void }[] = [];

    readonly publish = (topic: string, payload: Uint8Array): Promise<void> => {
        this.attempts++;
        if (this.hold) {
            return new Promise((resolve, reject) => this.held.push({ topic, payload, resolve, reject }));
        }
        if (!this.connected) {
            return Promise.reject(new Error('client disconnected'));
        }
        if (this.failNext > 0) {
            this.failNext--;
            return Promise.reject(new Error('broker refused'));
        }
        this.published.push({ topic, payload, time: Date.now() });
        return Promise.resolve();
    };

    readonly isConnected = (): boolean => this.connected;

    /** Settles held publishes: resolved (and recorded) if connected, else rejected. */
    release(): void {
        const held = this.held.splice(0);
        this.hold = false;
        for (const entry of held) {
            if (this.connected) {
                this.published.push({ topic: entry.topic, payload: entry.payload, time: Date.now() });
                entry.resolve();
            } else {
                entry.reject(new Error('connection lost'));
            }
        }
    }

    topics(): string[] {
        return this.published.map(p => p.topic);
    }
}

export function fakeClock(): sinon.SinonFakeTimers {
    return sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
}
