/**
 * The embedded broker's servers: MQTT on TCP (or TLS) and, optionally, MQTT over WebSocket on port + 1 (same TLS
 * setting). Each accepted connection is handed over as a stream; every socket is tracked until it closes, so
 * close() also cuts half-open connections (those that never sent CONNECT and are therefore no aedes client).
 */
import {
    createServer as createHttpServer,
    type IncomingMessage,
    type Server as HttpServer,
    type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { createWebSocketStream, WebSocketServer, type WebSocket } from 'ws';
import { errorText, type LogLimiter } from './handlers';
import type { TransportLogger } from './types';

export interface BrokerTlsOptions {
    /** PEM private key. */
    key: string;
    /** PEM certificate (chain). */
    cert: string;
    /** PEM CA certificate(s) for the chain. */
    ca?: string;
}

export interface ListenerOptions {
    bind: string;
    port: number;
    webSocket: boolean;
    tls?: BrokerTlsOptions;
    maxClients: number;
    maxPacketSize: number;
    logger: TransportLogger;
    /** Shared with the rest of the broker: failed TLS handshakes are logged once per address and window. */
    limiter: LogLimiter;
}

/** One accepted connection: a TCP/TLS socket or a WebSocket stream (then with its upgrade request). */
export type ConnectionHandler = (stream: Duplex, remoteAddress: string | undefined, req?: IncomingMessage) => void;

const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;
/** Extra sockets allowed beyond maxClients: connections still in CONNECT, or about to be refused politely. */
const CONNECTION_SLACK = 32;

export class BrokerListeners {
    private tcpServer?: NetServer;
    private httpServer?: HttpServer;
    private wsServer?: WebSocketServer;
    /** Every open socket of both servers, so close() can cut connections that never sent CONNECT. */
    private readonly sockets = new Set<Socket>();

    constructor(
        private readonly options: ListenerOptions,
        private readonly handle: ConnectionHandler,
    ) {}

    /** Rejects with a message a user can act on (port in use, no rights, unusable certificate, …). */
    async start(): Promise<void> {
        const { bind, port, tls, webSocket, logger: log, limiter } = this.options;
        let tcpServer: NetServer;
        try {
            tcpServer = tls
                ? createTlsServer({
                      key: tls.key,
                      cert: tls.cert,
                      ca: tls.ca,
                      handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS,
                  })
                : createNetServer();
        } catch (e) {
            throw new Error(`The TLS certificate or key cannot be used: ${errorText(e)}`);
        }
        this.tcpServer = tcpServer;
        tcpServer.maxConnections = this.options.maxClients + CONNECTION_SLACK;
        tcpServer.on('connection', (socket: Socket) => this.track(socket));
        if (tls) {
            tcpServer.on('secureConnection', (socket: TLSSocket) => this.handle(socket, socket.remoteAddress));
            tcpServer.on('tlsClientError', (err: Error, socket: TLSSocket) => {
                const address = socket.remoteAddress ?? '?';
                if (limiter.allow(`tls:${address}`) !== undefined) {
                    log.info(`TLS handshake with ${address} failed: ${err.message}`);
                } else {
                    log.debug(`TLS handshake with ${address} failed: ${err.message}`);
                }
            });
        } else {
            tcpServer.on('connection', (socket: Socket) => this.handle(socket, socket.remoteAddress));
        }
        try {
            await listen(tcpServer, port, bind);
        } catch (e) {
            throw new Error(listenErrorMessage(e, tls ? 'MQTT over TLS' : 'MQTT', bind, port));
        }
        tcpServer.on('error', err => log.error(`MQTT server on ${bind}:${port}: ${err.message}`));

        if (webSocket) {
            await this.startWebSocket(bind, port + 1, tls);
        }
    }

    /** Ends every WebSocket and socket and closes the servers (call after aedes has closed its clients). */
    async close(): Promise<void> {
        if (this.wsServer) {
            for (const ws of this.wsServer.clients) {
                ws.terminate();
            }
            this.wsServer.close();
        }
        // Connections that never completed CONNECT are not aedes clients: cut them, or close() would wait for them.
        for (const socket of this.sockets) {
            socket.destroy();
        }
        this.sockets.clear();
        await Promise.all(
            [this.tcpServer, this.httpServer].map(server => (server ? closeServer(server) : Promise.resolve())),
        );
    }

    private async startWebSocket(bind: string, port: number, tls?: BrokerTlsOptions): Promise<void> {
        const log = this.options.logger;
        const answerPlainHttp = (_req: IncomingMessage, res: ServerResponse): void => {
            res.writeHead(426, { 'Content-Type': 'text/plain' });
            res.end('MQTT over WebSocket only\n');
        };
        const httpServer = tls
            ? createHttpsServer(
                  { key: tls.key, cert: tls.cert, ca: tls.ca, handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS },
                  answerPlainHttp,
              )
            : createHttpServer(answerPlainHttp);
        this.httpServer = httpServer;
        httpServer.maxConnections = this.options.maxClients + CONNECTION_SLACK;
        httpServer.on('connection', (socket: Socket) => this.track(socket));
        // noServer: upgrades are passed explicitly, so the WebSocket server never re-emits the HTTP server's errors.
        // A frame may carry more than one MQTT packet; the MQTT packet limit itself is enforced by the size guard.
        const wsServer = new WebSocketServer({ noServer: true, maxPayload: 2 * this.options.maxPacketSize + 1024 });
        this.wsServer = wsServer;
        wsServer.on('connection', (ws: WebSocket, req: IncomingMessage) => {
            ws.on('error', err => log.debug(`WebSocket from ${req.socket.remoteAddress ?? '?'}: ${err.message}`));
            this.handle(createWebSocketStream(ws), req.socket.remoteAddress, req);
        });
        httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
            wsServer.handleUpgrade(req, socket, head, ws => wsServer.emit('connection', ws, req));
        });
        try {
            await listen(httpServer, port, bind);
        } catch (e) {
            throw new Error(listenErrorMessage(e, 'MQTT over WebSocket, always main port + 1', bind, port));
        }
        httpServer.on('error', err => log.error(`MQTT WebSocket server on ${bind}:${port}: ${err.message}`));
    }

    private track(socket: Socket): void {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
    }
}

function listen(server: NetServer | HttpServer, port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
            server.off('error', reject);
            resolve();
        });
    });
}

function closeServer(server: NetServer | HttpServer): Promise<void> {
    return new Promise(resolve => {
        if (!server.listening) {
            resolve();
            return;
        }
        server.close(() => resolve());
    });
}

/** The message a user can act on, for a failed listen(). */
export function listenErrorMessage(err: unknown, what: string, bind: string, port: number): string {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    switch (code) {
        case 'EADDRINUSE':
            return (
                `Port ${port} on ${bind} is already in use (${what}): another MQTT broker (Mosquitto, the mqtt adapter, ` +
                'another instance of this adapter?) is listening there. Stop it or choose another port.'
            );
        case 'EACCES':
            return `Port ${port} on ${bind} (${what}) may not be opened by this user (ports below 1024 need special rights): choose a port above 1023.`;
        case 'EADDRNOTAVAIL':
            return `Address ${bind} (${what}) does not belong to this host: bind to 0.0.0.0 or to one of the host's own addresses.`;
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return `Bind address "${bind}" (${what}) cannot be resolved: use an IP address such as 0.0.0.0.`;
        default:
            return `Cannot listen on ${bind}:${port} (${what}): ${errorText(err)}`;
    }
}
