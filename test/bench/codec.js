'use strict';
// Codec throughput: the captured vector envelopes, repeated, through the full receive path
// (topic → envelope → AES-CTR decrypt → Data → payload) of the COMPILED codec. Build first: npx tsc -p tsconfig.build.json
const path = require('node:path');
const { envelopes } = require('../support/vectors.js');

function loadCodec() {
    const file = path.join(__dirname, '..', '..', 'build', 'lib', 'codec', 'index.js');
    try {
        return require(file);
    } catch (e) {
        throw new Error(`compiled codec not found at ${file}: run "npx tsc -p tsconfig.build.json" first (${e.message})`);
    }
}

/**
 * Decodes `packets` envelopes (the vectors repeated) and reports packets per second and heap use.
 *
 * @param {{ packets?: number }} [options]
 * @returns {Promise<{ codecPacketsPerSecond: number, heapUsedMB: number, packets: number, decoded: number, failed: number, seconds: number }>}
 */
async function benchCodec({ packets = 200000 } = {}) {
    const codec = loadCodec();
    const decoder = new codec.PacketDecoder({
        keyRing: new codec.KeyRing([{ name: 'LongFast', key: codec.DEFAULT_PSK }]),
    });
    const inputs = envelopes('msh/EU_868').map(v => ({ topic: v.topic, payload: new Uint8Array(v.payload) }));

    // Warm-up so the JIT has compiled the hot paths before timing.
    for (let i = 0; i < 20000; i++) {
        const input = inputs[i % inputs.length];
        decoder.decode(input.topic, input.payload);
    }

    let decoded = 0;
    let failed = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < packets; i++) {
        const input = inputs[i % inputs.length];
        if (decoder.decode(input.topic, input.payload).ok) {
            decoded++;
        } else {
            failed++;
        }
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const heapUsedMB = Math.round((process.memoryUsage().heapUsed / (1024 * 1024)) * 10) / 10;
    return {
        codecPacketsPerSecond: Math.round(packets / seconds),
        heapUsedMB,
        packets,
        decoded,
        failed,
        seconds: Math.round(seconds * 1000) / 1000,
    };
}

module.exports = { benchCodec };

if (require.main === module) {
    benchCodec()
        .then(result => {
            console.log(
                `codec: ${result.codecPacketsPerSecond.toLocaleString('en-US')} packets/s ` +
                    `(${result.packets} packets in ${result.seconds} s, ${result.decoded} decoded, ` +
                    `${result.failed} undecryptable by design), heap ${result.heapUsedMB} MB`,
            );
            console.log(JSON.stringify(result));
        })
        .catch(e => {
            console.error(e);
            process.exitCode = 1;
        });
}
