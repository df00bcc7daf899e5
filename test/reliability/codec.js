'use strict';
// The codec alone (the built one the adapter runs) over ≥ 1,000,000 mutated real envelopes: no exception escapes,
// every outcome is typed. src/lib/codec/fuzz.test.ts checks outcome shapes in depth on 110,000 inputs; this is the
// long run with random gateway ids and channel names. RELIABILITY_CODEC_COUNT (or RELIABILITY_SCALE) runs longer.
const { expect } = require('chai');
const { envelopes } = require('../support/vectors');
const { prng, hostileMessage, mutate } = require('../support/mutator');
const { scaled } = require('../support/scale');
const codec = require('../../build/lib/codec');

const COUNT = scaled('RELIABILITY_CODEC_COUNT', 1_000_000);
const REASONS = new Set(['topic', 'envelope', 'decrypt', 'pki', 'payload', 'json']);

describe('reliability: codec over mutated real envelopes', function () {
    this.timeout(10 * 60_000);

    it(`decodes ${COUNT.toLocaleString('en')} mutated envelopes without an exception escaping`, () => {
        const own = codec.generateKeyPair();
        const peer = codec.generateKeyPair();
        const decoder = new codec.PacketDecoder({
            keyRing: new codec.KeyRing([
                ...codec.defaultKeyChannels(),
                codec.makeChannelKey('Private', codec.parsePsk('8Zl9Kf8sLx0Lq3mXmY8p1w==').value),
            ]),
            legacyJson: true,
            maxTopicLength: 256,
            pki: {
                ownNodeNum: 0x0a1b2c3d,
                privateKey: own.privateKey,
                publicKeyOf: n => (n % 2 ? peer.publicKey : undefined),
            },
        });
        const vectors = envelopes('msh/EU_868');
        const r = prng(Number(process.env.RELIABILITY_SEED || 0x5eed));
        const outcomes = { ok: 0 };
        const started = process.hrtime.bigint();
        for (let i = 0; i < COUNT; i++) {
            const m =
                i % 4 === 0
                    ? {
                          topic: vectors[i % vectors.length].topic,
                          payload: mutate(vectors[i % vectors.length].payload, r),
                      }
                    : hostileMessage(vectors, r);
            let outcome;
            try {
                outcome = decoder.decode(m.topic, m.payload);
            } catch (e) {
                expect.fail(`decode threw on ${JSON.stringify(m.topic)} ${m.payload.toString('hex')}: ${e && e.stack}`);
            }
            if (outcome.ok) {
                outcomes.ok++;
            } else if (!REASONS.has(outcome.error.reason)) {
                expect.fail(`untyped outcome on ${JSON.stringify(m.topic)}: ${JSON.stringify(outcome.error)}`);
            } else {
                outcomes[outcome.error.reason] = (outcomes[outcome.error.reason] || 0) + 1;
            }
        }
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const rate = Math.round(COUNT / seconds);
        console.log(
            `      codec: ${COUNT} mutated envelopes in ${seconds.toFixed(1)} s = ${rate.toLocaleString('en')}/s; outcomes ${JSON.stringify(outcomes)}`,
        );
        const total = Object.values(outcomes).reduce((a, b) => a + b, 0);
        expect(total).to.equal(COUNT);
        expect(outcomes.ok, 'some mutated envelopes still decode').to.be.above(COUNT / 100);
        for (const reason of ['topic', 'envelope', 'decrypt', 'json']) {
            expect(outcomes[reason] || 0, `reason ${reason} reached`).to.be.above(0);
        }
    });
});
