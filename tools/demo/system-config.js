'use strict';
// js-controller's iobroker.json for a test or demo installation: jsonl DBs on 127.0.0.1, backups off, log to file
// only, no multihost.
const fs = require('node:fs');
const { HOST } = require('./ports');
const { readJson, writeJson } = require('./files');

/** One DB section (objects or states) of iobroker.json. */
const jsonlDb = (port, extra = {}) => ({
    type: 'jsonl',
    host: HOST,
    port,
    connectTimeout: 5000,
    writeFileInterval: 5000,
    dataDir: '',
    options: { auth_pass: '', retry_max_delay: 2000, retry_max_count: 19, db: 0, family: 0 },
    backup: { disabled: true, files: 24, hours: 48, period: 120, path: '' },
    jsonlOptions: {
        autoCompress: { sizeFactor: 2, sizeFactorMinimumSize: 25000 },
        ignoreReadErrors: true,
        throttleFS: { intervalMs: 10000, maxBufferedCommands: 1000 },
    },
    ...extra,
});

/** A new iobroker.json with its DBs on these ports. */
const newSystemConfig = ({ objectsPort, statesPort }) => ({
    system: {
        memoryLimitMB: 0,
        hostname: '',
        statisticsInterval: 15000,
        checkDiskInterval: 300000,
        instanceStartInterval: 500,
        compact: false,
        allowShellCommands: false,
        memLimitWarn: 100,
        memLimitError: 50,
    },
    multihostService: { enabled: false, secure: true, password: '', persist: false },
    objects: jsonlDb(objectsPort, { noFileCache: false }),
    states: jsonlDb(statesPort, { maxQueue: 1000 }),
    log: {
        level: 'info',
        maxDays: 2,
        noStdout: true,
        transport: {
            file1: {
                type: 'file',
                enabled: true,
                filename: 'log/iobroker',
                fileext: '.log',
                maxSize: null,
                maxFiles: null,
            },
        },
    },
    plugins: {},
    dnsResolution: 'ipv4first',
    dataDir: '../../iobroker-data/',
});

/** Writes the demo's iobroker.json (keeping what js-controller added to an existing one) and returns it. */
function systemConfig({ opts, files, dirs }) {
    const config = readJson(files.config, undefined) || newSystemConfig(opts);
    config.objects.host = HOST;
    config.objects.port = opts.objectsPort;
    config.states.host = HOST;
    config.states.port = opts.statesPort;
    config.multihostService = { ...(config.multihostService || {}), enabled: false };
    fs.mkdirSync(dirs.data, { recursive: true });
    writeJson(files.config, config);
    return config;
}

module.exports = { jsonlDb, newSystemConfig, systemConfig };
