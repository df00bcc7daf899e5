/**
 * The admin connection: admin serves `lib/js/socket.io.js` (ioBroker's WebSocket client with a socket.io-like API),
 * which this page loads before the bundle. Wrapped here as promises with timeouts, because the client drops pending
 * callbacks when the connection closes, and with re-subscription after a reconnect.
 */

export interface IoState {
    val: unknown;
    ack: boolean;
    ts: number;
    lc: number;
}

interface AdminSocket {
    connected: boolean;
    on(event: string, handler: (...args: never[]) => void): void;
    emit(command: string, ...args: unknown[]): void;
}

declare global {
    interface Window {
        io?: { connect(url: string, options?: Record<string, unknown>): AdminSocket };
    }
}

export class RequestTimeout extends Error {}

function asError(err: unknown): Error {
    return err instanceof Error ? err : new Error(typeof err === 'string' ? err : JSON.stringify(err));
}

export class AdminConnection {
    private readonly socket: AdminSocket;
    private readonly subscriptions = new Set<string>();
    private readonly stateHandlers: ((id: string, state: IoState | null) => void)[] = [];

    constructor(
        private readonly onConnectionChange: (connected: boolean) => void,
        private readonly timeoutMs = 15_000,
    ) {
        if (!window.io) {
            throw new Error('admin socket library (lib/js/socket.io.js) not loaded');
        }
        // Admin's root, also behind a reverse proxy with a path prefix: everything before `/adapter/`.
        const root = window.location.pathname.replace(/\/adapter\/.*$/, '/');
        this.socket = window.io.connect(`${window.location.protocol}//${window.location.host}${root}`, {
            name: 'meshtastic-tab',
        });
        this.socket.on('connect', () => this.connected(true));
        this.socket.on('reconnect', () => this.connected(true));
        this.socket.on('disconnect', () => this.onConnectionChange(false));
        this.socket.on('stateChange', (id: string, state: IoState | null) => {
            for (const handler of this.stateHandlers) {
                handler(id, state);
            }
        });
    }

    get isConnected(): boolean {
        return this.socket.connected;
    }

    onStateChange(handler: (id: string, state: IoState | null) => void): void {
        this.stateHandlers.push(handler);
    }

    subscribe(pattern: string): void {
        this.subscriptions.add(pattern);
        if (this.socket.connected) {
            this.socket.emit('subscribe', pattern);
        }
    }

    sendTo<T>(instance: string, command: string, message: unknown, timeoutMs = this.timeoutMs): Promise<T> {
        return this.request<T>(timeoutMs, done => this.socket.emit('sendTo', instance, command, message, done));
    }

    getState(id: string): Promise<IoState | null> {
        return this.request<[unknown, IoState | null]>(this.timeoutMs, done =>
            this.socket.emit('getState', id, (err: unknown, state: IoState | null) => done([err, state])),
        ).then(([err, state]) => (err ? Promise.reject(asError(err)) : state));
    }

    getObject<T>(id: string): Promise<T | null> {
        return this.request<[unknown, T | null]>(this.timeoutMs, done =>
            this.socket.emit('getObject', id, (err: unknown, obj: T | null) => done([err, obj])),
        ).then(([err, obj]) => (err ? Promise.reject(asError(err)) : obj));
    }

    private connected(isUp: boolean): void {
        for (const pattern of this.subscriptions) {
            this.socket.emit('subscribe', pattern);
        }
        this.onConnectionChange(isUp);
    }

    private request<T>(timeoutMs: number, start: (done: (value: T) => void) => void): Promise<T> {
        return new Promise<T>((resolve, reject) => {
            const timer = window.setTimeout(() => reject(new RequestTimeout('no answer')), timeoutMs);
            start(value => {
                window.clearTimeout(timer);
                resolve(value);
            });
        });
    }
}
