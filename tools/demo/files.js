'use strict';
// The demo's work dir: where everything lives (one definition, also used by the UI tests), and its JSON files.
const fs = require('node:fs');
const path = require('node:path');

/** Directories and files of a work dir made by `npm run demo`. */
function layout(dir) {
    const data = path.join(dir, 'iobroker-data');
    const logDir = path.join(dir, 'log');
    return {
        dir,
        dirs: {
            data,
            log: logDir,
            snapshots: path.join(dir, 'snapshots'),
            pack: path.join(dir, 'pack'),
            controller: path.join(dir, 'node_modules', 'iobroker.js-controller'),
        },
        files: {
            packageJson: path.join(dir, 'package.json'),
            config: path.join(data, 'iobroker.json'),
            state: path.join(dir, 'demo-state.json'),
            pid: path.join(dir, 'controller.pid'),
            controllerOut: path.join(logDir, 'controller-stdout.log'),
        },
    };
}

function readJson(file, def) {
    try {
        return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
        return def;
    }
}
const writeJson = (file, data) => fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);

/** The pid in a pid file, or undefined. */
function readPid(file) {
    try {
        return Number(fs.readFileSync(file, 'utf8').trim()) || undefined;
    } catch {
        return undefined;
    }
}

module.exports = { layout, readJson, writeJson, readPid };
