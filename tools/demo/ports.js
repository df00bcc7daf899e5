'use strict';
// TCP port probes on 127.0.0.1 (the demo and the UI tests).
const net = require('node:net');
const { DemoError } = require('./log');

const HOST = '127.0.0.1';

/** Whether nothing listens on `port` (we could bind it). */
function portFree(port, host = HOST) {
    return new Promise(resolve => {
        const srv = net.createServer();
        srv.once('error', () => resolve(false));
        srv.listen(port, host, () => srv.close(() => resolve(true)));
    });
}

/** Whether something accepts connections on `port`. */
function portOpen(port, host = HOST) {
    return new Promise(resolve => {
        const sock = net.connect({ port, host });
        const done = ok => {
            sock.destroy();
            resolve(ok);
        };
        sock.setTimeout(1000, () => done(false));
        sock.once('connect', () => done(true));
        sock.once('error', () => done(false));
    });
}

/** The demo's four ports, with the variable that sets each: [env name, port, what]. */
function demoPorts(opts) {
    return [
        ['DEMO_PORT', opts.mqttPort, 'MQTT broker (adapter)'],
        ['DEMO_ADMIN_PORT', opts.adminPort, 'admin'],
        ['DEMO_OBJECTS_PORT', opts.objectsPort, 'objects DB'],
        ['DEMO_STATES_PORT', opts.statesPort, 'states DB'],
    ];
}

async function checkPorts(opts) {
    const seen = new Set();
    for (const [name, port, what] of demoPorts(opts)) {
        if (seen.has(port)) {
            throw new DemoError(
                `port ${port} is used twice: set DEMO_PORT, DEMO_ADMIN_PORT, DEMO_OBJECTS_PORT, DEMO_STATES_PORT apart`,
            );
        }
        seen.add(port);
        if (!(await portFree(port))) {
            throw new DemoError(`port ${HOST}:${port} (${what}) is in use: free it or choose another with ${name}=...`);
        }
    }
}

module.exports = { HOST, portFree, portOpen, demoPorts, checkPorts };
