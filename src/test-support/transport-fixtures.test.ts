/**
 * Helpers of the transport tests (broker and client): a log that keeps every line, real timers that remember their
 * delays, waiting for conditions and messages of real MQTT.js clients, the typed test/support helpers (certificates,
 * Mosquitto). Not compiled into the build (tsconfig.build excludes src/test-support/**).
 */
import type { MqttClient } from 'mqtt';
import type { Timers, TransportLogger } from '../lib/transport/types';

export const HOST = '127.0.0.1';

export class CapturedLog implements TransportLogger {
    readonly lines: { level: string; message: string }[] = [];
    error(message: string): void {
        this.lines.push({ level: 'error', message });
    }
    warn(message: string): void {
        this.lines.push({ level: 'warn', message });
    }
    info(message: string): void {
        this.lines.push({ level: 'info', message });
    }
    debug(message: string): void {
        this.lines.push({ level: 'debug', message });
    }
    text(): string {
        return this.lines.map(l => `${l.level}: ${l.message}`).join('\n');
    }
    /** Messages at `level` that match. */
    at(level: string, pattern: RegExp): string[] {
        return this.lines.filter(l => l.level === level && pattern.test(l.message)).map(l => l.message);
    }
    /** Lines above debug: what a user sees at the default log level. */
    visible(): string[] {
        return this.lines.filter(l => l.level !== 'debug').map(l => `${l.level}: ${l.message}`);
    }
}

/** Real timers that remember every delay and know which handles are still pending. */
export class CountingTimers implements Timers {
    readonly delays: number[] = [];
    readonly pending = new Set<NodeJS.Timeout>();

    setTimeout(callback: () => void, ms: number): unknown {
        this.delays.push(ms);
        const handle = setTimeout(() => {
            this.pending.delete(handle);
            callback();
        }, ms);
        this.pending.add(handle);
        return handle;
    }

    clearTimeout(handle: unknown): void {
        clearTimeout(handle as NodeJS.Timeout);
        this.pending.delete(handle as NodeJS.Timeout);
    }
}

/** The next message a real MQTT client receives (optionally: on exactly this topic). */
export function nextMessage(client: MqttClient, topic?: string): Promise<{ topic: string; payload: Buffer }> {
    return new Promise(resolve => {
        const listener = (t: string, payload: Buffer): void => {
            if (topic === undefined || t === topic) {
                client.removeListener('message', listener);
                resolve({ topic: t, payload });
            }
        };
        client.on('message', listener);
    });
}

export function closed(client: MqttClient): Promise<void> {
    return new Promise(resolve => client.once('close', () => resolve()));
}

export const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

export async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
        const value = probe();
        if (value !== undefined && value !== false) {
            return value;
        }
        if (Date.now() > end) {
            throw new Error(`timed out waiting for ${what}`);
        }
        await sleep(10);
    }
}

// test/support is plain CommonJS without typings: typed here.
export interface Mosquitto {
    port: number;
    output(): string;
    stop(): Promise<void>;
    kill(): void;
    restart(): Promise<void>;
}
interface MosquittoSupport {
    startMosquitto(options: { port: number; user?: string; pass?: string }): Promise<Mosquitto>;
    mosquittoAvailable(): boolean;
}
interface CertsSupport {
    createSelfSignedCert(host?: string): { key: string; cert: string };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { startMosquitto, mosquittoAvailable } = require('../../test/support/mosquitto') as MosquittoSupport;
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { createSelfSignedCert } = require('../../test/support/certs') as CertsSupport;
