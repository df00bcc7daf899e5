"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.probeTcp = probeTcp;
/**
 * Is the broker there? One TCP connection to its host and port, no MQTT and no TLS handshake, closed again: how the
 * client tells a broker that went away from one that closed our session while it kept running. A connection counts
 * only when it stays open for a moment: the kernel completes handshakes on a listening socket by itself, also while
 * a broker shuts down (Mosquitto closes its clients before its listener), and then resets them.
 */
const node_net_1 = require("node:net");
/** How long the probe waits for the TCP handshake (the socket's own timeout; cancelled with the probe). */
const CONNECT_TIMEOUT_MS = 2000;
/** How long an accepted probe connection must stay open. A broker waits far longer for a CONNECT. */
const HOLD_MS = 300;
/**
 * Calls `done(true)` when host:port accepted a TCP connection and kept it, `done(false)` when it refused, reset,
 * failed or did not answer in time; never after the returned cancel function was called.
 */
function probeTcp(address, done, timeouts = { connectMs: CONNECT_TIMEOUT_MS, holdMs: HOLD_MS }) {
    let finished = false;
    let connected = false;
    let socket;
    const finish = (reachable) => {
        if (finished) {
            return;
        }
        finished = true;
        socket?.destroy();
        if (reachable !== undefined) {
            done(reachable);
        }
    };
    try {
        socket = (0, node_net_1.connect)({ host: address.host, port: address.port, timeout: timeouts.connectMs });
    }
    catch {
        finish(false);
        return () => undefined;
    }
    const probe = socket;
    probe.once('connect', () => {
        connected = true;
        probe.setTimeout(timeouts.holdMs);
    });
    // Before the handshake: no answer in time. After it: the connection was kept for holdMs.
    probe.on('timeout', () => finish(connected));
    probe.once('error', () => finish(false));
    probe.once('end', () => finish(false));
    probe.once('close', () => finish(false));
    return () => finish(undefined);
}
