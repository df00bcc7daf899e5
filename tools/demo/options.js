'use strict';
// What the demo runs: fixed facts of the demo setup and the options from the command line and DEMO_* variables
// (documented in main.js).
const crypto = require('node:crypto');
const os = require('node:os');
const path = require('node:path');
const { fail } = require('./log');

const REPO = path.resolve(__dirname, '..', '..');
const ADAPTER = 'meshtastic';
const INSTANCE = `${ADAPTER}.0`;
const ROOT_TOPIC = 'msh/EU_868';
const CHANNELS = [{ name: 'LongFast', psk: 'AQ==', downlink: true }];

/** A work dir under the temp dir named after this checkout, so no repo tool sees it. */
const defaultDir = prefix =>
    path.join(os.tmpdir(), `${prefix}-${crypto.createHash('sha1').update(REPO).digest('hex').slice(0, 8)}`);

function parseOptions(argv = process.argv.slice(2), env = process.env) {
    const flag = (name, envName) => argv.includes(`--${name}`) || /^(1|true|yes)$/i.test(env[envName] || '');
    const intOpt = (envName, def) => {
        const raw = env[envName];
        if (raw === undefined || raw === '') {
            return def;
        }
        const n = Number(raw);
        if (!Number.isInteger(n) || n <= 0 || n > 65535 * 1000) {
            fail(`${envName}=${raw} is not a valid number`);
        }
        return n;
    };
    const portOpt = (envName, def) => {
        const n = intOpt(envName, def);
        if (n > 65535) {
            fail(`${envName}=${n} is not a TCP port`);
        }
        return n;
    };
    return {
        help: argv.includes('--help') || argv.includes('-h'),
        once: flag('once', 'DEMO_ONCE'),
        verbose: flag('verbose', 'DEMO_VERBOSE'),
        rebuild: flag('rebuild', 'DEMO_REBUILD'),
        reinstall: flag('reinstall', 'DEMO_REINSTALL'),
        mqttPort: portOpt('DEMO_PORT', 18830),
        adminPort: portOpt('DEMO_ADMIN_PORT', 18081),
        objectsPort: portOpt('DEMO_OBJECTS_PORT', 29001),
        statesPort: portOpt('DEMO_STATES_PORT', 29000),
        intervalMs: intOpt('DEMO_INTERVAL_MS', 4000),
        maxNodes: intOpt('DEMO_MAX_NODES', undefined),
        timeoutMs: intOpt('DEMO_TIMEOUT_S', 120) * 1000,
        controllerVersion: env.DEMO_CONTROLLER_VERSION || '7.1.1',
        adminVersion: env.DEMO_ADMIN_VERSION || '7.8.20',
        dir: path.resolve(env.DEMO_DIR || defaultDir('iobroker.meshtastic-demo')),
    };
}

module.exports = { REPO, ADAPTER, INSTANCE, ROOT_TOPIC, CHANNELS, defaultDir, parseOptions };
