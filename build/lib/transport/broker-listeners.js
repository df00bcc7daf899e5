"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BrokerListeners = void 0;
exports.listenErrorMessage = listenErrorMessage;
/**
 * The embedded broker's servers: MQTT on TCP (or TLS) and, optionally, MQTT over WebSocket on port + 1 (same TLS
 * setting). Each accepted connection is handed over as a stream; every socket is tracked until it closes, so
 * close() also cuts half-open connections (those that never sent CONNECT and are therefore no aedes client).
 */
const node_http_1 = require("node:http");
const node_https_1 = require("node:https");
const node_net_1 = require("node:net");
const node_tls_1 = require("node:tls");
const ws_1 = require("ws");
const handlers_1 = require("./handlers");
const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;
/** Extra sockets allowed beyond maxClients: connections still in CONNECT, or about to be refused politely. */
const CONNECTION_SLACK = 32;
class BrokerListeners {
    options;
    handle;
    tcpServer;
    httpServer;
    wsServer;
    /** Every open socket of both servers, so close() can cut connections that never sent CONNECT. */
    sockets = new Set();
    constructor(options, handle) {
        this.options = options;
        this.handle = handle;
    }
    /** Rejects with a message a user can act on (port in use, no rights, unusable certificate, …). */
    async start() {
        const { bind, port, tls, webSocket, logger: log, limiter } = this.options;
        let tcpServer;
        try {
            tcpServer = tls
                ? (0, node_tls_1.createServer)({
                    key: tls.key,
                    cert: tls.cert,
                    ca: tls.ca,
                    handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS,
                })
                : (0, node_net_1.createServer)();
        }
        catch (e) {
            throw new Error(`The TLS certificate or key cannot be used: ${(0, handlers_1.errorText)(e)}`);
        }
        this.tcpServer = tcpServer;
        tcpServer.maxConnections = this.options.maxClients + CONNECTION_SLACK;
        tcpServer.on('connection', (socket) => this.track(socket));
        if (tls) {
            tcpServer.on('secureConnection', (socket) => this.handle(socket, socket.remoteAddress));
            tcpServer.on('tlsClientError', (err, socket) => {
                const address = socket.remoteAddress ?? '?';
                if (limiter.allow(`tls:${address}`) !== undefined) {
                    log.info(`TLS handshake with ${address} failed: ${err.message}`);
                }
                else {
                    log.debug(`TLS handshake with ${address} failed: ${err.message}`);
                }
            });
        }
        else {
            tcpServer.on('connection', (socket) => this.handle(socket, socket.remoteAddress));
        }
        try {
            await listen(tcpServer, port, bind);
        }
        catch (e) {
            throw new Error(listenErrorMessage(e, tls ? 'MQTT over TLS' : 'MQTT', bind, port));
        }
        tcpServer.on('error', err => log.error(`MQTT server on ${bind}:${port}: ${err.message}`));
        if (webSocket) {
            await this.startWebSocket(bind, port + 1, tls);
        }
    }
    /** Ends every WebSocket and socket and closes the servers (call after aedes has closed its clients). */
    async close() {
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
        await Promise.all([this.tcpServer, this.httpServer].map(server => (server ? closeServer(server) : Promise.resolve())));
    }
    async startWebSocket(bind, port, tls) {
        const log = this.options.logger;
        const answerPlainHttp = (_req, res) => {
            res.writeHead(426, { 'Content-Type': 'text/plain' });
            res.end('MQTT over WebSocket only\n');
        };
        const httpServer = tls
            ? (0, node_https_1.createServer)({ key: tls.key, cert: tls.cert, ca: tls.ca, handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS }, answerPlainHttp)
            : (0, node_http_1.createServer)(answerPlainHttp);
        this.httpServer = httpServer;
        httpServer.maxConnections = this.options.maxClients + CONNECTION_SLACK;
        httpServer.on('connection', (socket) => this.track(socket));
        // noServer: upgrades are passed explicitly, so the WebSocket server never re-emits the HTTP server's errors.
        // A frame may carry more than one MQTT packet; the MQTT packet limit itself is enforced by the size guard.
        const wsServer = new ws_1.WebSocketServer({ noServer: true, maxPayload: 2 * this.options.maxPacketSize + 1024 });
        this.wsServer = wsServer;
        wsServer.on('connection', (ws, req) => {
            ws.on('error', err => log.debug(`WebSocket from ${req.socket.remoteAddress ?? '?'}: ${err.message}`));
            this.handle((0, ws_1.createWebSocketStream)(ws), req.socket.remoteAddress, req);
        });
        httpServer.on('upgrade', (req, socket, head) => {
            wsServer.handleUpgrade(req, socket, head, ws => wsServer.emit('connection', ws, req));
        });
        try {
            await listen(httpServer, port, bind);
        }
        catch (e) {
            throw new Error(listenErrorMessage(e, 'MQTT over WebSocket, always main port + 1', bind, port));
        }
        httpServer.on('error', err => log.error(`MQTT WebSocket server on ${bind}:${port}: ${err.message}`));
    }
    track(socket) {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
    }
}
exports.BrokerListeners = BrokerListeners;
function listen(server, port, host) {
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
            server.off('error', reject);
            resolve();
        });
    });
}
function closeServer(server) {
    return new Promise(resolve => {
        if (!server.listening) {
            resolve();
            return;
        }
        server.close(() => resolve());
    });
}
/** The message a user can act on, for a failed listen(). */
function listenErrorMessage(err, what, bind, port) {
    const code = err?.code;
    switch (code) {
        case 'EADDRINUSE':
            return (`Port ${port} on ${bind} is already in use (${what}): another MQTT broker (Mosquitto, the mqtt adapter, ` +
                'another instance of this adapter?) is listening there. Stop it or choose another port.');
        case 'EACCES':
            return `Port ${port} on ${bind} (${what}) may not be opened by this user (ports below 1024 need special rights): choose a port above 1023.`;
        case 'EADDRNOTAVAIL':
            return `Address ${bind} (${what}) does not belong to this host: bind to 0.0.0.0 or to one of the host's own addresses.`;
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return `Bind address "${bind}" (${what}) cannot be resolved: use an IP address such as 0.0.0.0.`;
        default:
            return `Cannot listen on ${bind}:${port} (${what}): ${(0, handlers_1.errorText)(err)}`;
    }
}
