'use strict';
// The shared real captures. CI checks out shared/ beside the project; a developer's machine has it at ../shared too.
const fs = require('node:fs');
const path = require('node:path');

function vectorsPath() {
    const candidates = [
        path.join(__dirname, '..', '..', '..', 'shared', 'vectors', 'meshtastic-vectors.json'),
        path.join(__dirname, '..', '..', 'shared', 'vectors', 'meshtastic-vectors.json'),
    ];
    const found = candidates.find(p => fs.existsSync(p));
    if (!found) {
        throw new Error(`meshtastic-vectors.json not found (looked in ${candidates.join(', ')})`);
    }
    return found;
}

const data = JSON.parse(fs.readFileSync(vectorsPath(), 'utf8'));

/** Each vector with its topic under the given root and its payload bytes. */
function envelopes(root = 'msh/EU_868') {
    return data.vectors.map(v => ({
        name: v.name,
        topic: v.topic.replace('<root>', root),
        payload: Buffer.from(v.hex, 'hex'),
        expected: v.expected,
    }));
}

function byName(name, root) {
    const v = envelopes(root).find(e => e.name === name);
    if (!v) {
        throw new Error(`no vector ${name}`);
    }
    return v;
}

const hex = num => (num >>> 0).toString(16).padStart(8, '0');

module.exports = { data, envelopes, byName, hex, vectorsPath };
