/**
 * Fuzzing the whole receive path: ≥100,000 random and mutated envelopes and topics through PacketDecoder.decode.
 * It must never throw and must always return a well-formed typed outcome.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { generateKeyPair } from './crypto';
import { type DecodeOutcome, PacketDecoder } from './decoder';
import { emptyHeader, encodeData, encodeEnvelope } from './envelope';
import { defaultKeyChannels, KeyRing } from './keys';
import type { CodecErrorReason, MeshPayload } from './types';
import { mutate, prng, type Prng } from '../../../test/support/mutator';
import { vectorEnvelopes } from './vectors.test';

const REASONS: CodecErrorReason[] = ['topic', 'envelope', 'decrypt', 'pki', 'payload', 'json'];
const PAYLOAD_TYPES: MeshPayload['type'][] = [
    'text',
    'position',
    'nodeinfo',
    'telemetry',
    'neighborinfo',
    'mapreport',
    'routing',
    'traceroute',
    'waypoint',
    'rangetest',
    'detection',
    'alert',
    'paxcounter',
    'storeforward',
    'raw',
];
const HEADER_NUMBERS = [
    'from',
    'to',
    'id',
    'channel',
    'hopLimit',
    'hopStart',
    'rxTime',
    'relayNode',
    'nextHop',
] as const;

/**
 * What is wrong with an outcome, or undefined if it is exactly one of the typed shapes the pipeline relies on.
 * Plain checks rather than chai: this runs 100,000 times.
 */
function outcomeProblem(outcome: DecodeOutcome): string | undefined {
    if (typeof outcome !== 'object' || outcome === null) {
        return 'outcome is not an object';
    }
    if (outcome.ok === true) {
        const p = outcome.packet;
        if (!PAYLOAD_TYPES.includes(p.payload.type)) {
            return `unknown payload type ${String(p.payload.type)}`;
        }
        if (p.encryption !== 'none' && p.encryption !== 'channel' && p.encryption !== 'pki') {
            return `unknown encryption ${String(p.encryption)}`;
        }
        if (typeof p.channelId !== 'string' || typeof p.gatewayId !== 'string' || typeof p.channelName !== 'string') {
            return 'channel or gateway id is not a string';
        }
        for (const key of HEADER_NUMBERS) {
            const value = p.header[key];
            if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
                return `header.${key} is not a uint32: ${value}`;
            }
        }
        if (typeof p.data.portnum !== 'number' || !(p.data.payload instanceof Uint8Array)) {
            return 'data is malformed';
        }
        if (p.payloadError !== undefined && (typeof p.payloadError !== 'string' || p.payload.type !== 'raw')) {
            return 'payloadError without a raw payload';
        }
        return undefined;
    }
    if (outcome.ok !== false || outcome.error.ok !== false) {
        return 'ok flag is not a boolean';
    }
    if (!REASONS.includes(outcome.error.reason)) {
        return `unknown error reason ${String(outcome.error.reason)}`;
    }
    if (typeof outcome.error.message !== 'string' || outcome.error.message === '') {
        return 'error without message';
    }
    if (
        outcome.opaque &&
        ((outcome.opaque.reason !== 'pki' && outcome.opaque.reason !== 'decrypt') ||
            typeof outcome.opaque.header.from !== 'number')
    ) {
        return 'malformed opaque packet';
    }
    return undefined;
}

function assertTypedOutcome(outcome: DecodeOutcome): void {
    const problem = outcomeProblem(outcome);
    if (problem !== undefined) {
        expect.fail(problem);
    }
}

const TOPIC_PIECES = [
    'msh',
    'EU_868',
    '2',
    'e',
    'c',
    'json',
    'map',
    'stat',
    'PKI',
    'LongFast',
    '!a1b2c3d4',
    '',
    '+',
    '#',
    '1',
    'x',
];

function randomTopic(r: Prng): string {
    if (r.next() < 0.2) {
        let s = '';
        const n = r.int(40);
        for (let i = 0; i < n; i++) {
            s += String.fromCharCode(r.next() < 0.3 ? 0x2f : 0x20 + r.int(0x60));
        }
        return s;
    }
    const levels: string[] = [];
    const n = 1 + r.int(8);
    for (let i = 0; i < n; i++) {
        levels.push(TOPIC_PIECES[r.int(TOPIC_PIECES.length)]);
    }
    return levels.join('/');
}

describe('codec fuzzing', function () {
    this.timeout(60_000);

    const own = generateKeyPair();
    const ownNodeNum = 0x0a1b2c3d;
    const peer = generateKeyPair();
    const decoder = new PacketDecoder({
        keyRing: new KeyRing([...defaultKeyChannels(), { name: 'Open', key: new Uint8Array(0) }]),
        legacyJson: true,
        maxTopicLength: 128,
        pki: { ownNodeNum, privateKey: own.privateKey, publicKeyOf: n => (n % 2 === 0 ? peer.publicKey : undefined) },
    });
    const vectors = vectorEnvelopes();
    const jsonSamples = [
        '{"from":1,"to":4294967295,"id":2,"type":"text","payload":{"text":"hi"}}',
        '{"channel":0,"from":4201166456,"hops_away":0,"id":935928891,"payload":{"hardware":44,"id":"!fa68b678","longname":"P","shortname":"P"},"type":"nodeinfo"}',
        '{"from":3,"type":"telemetry","payload":{"battery_level":90,"voltage":4.1}}',
        '{"from":3,"type":"position","payload":{"latitude_i":1,"longitude_i":2,"precision_bits":13}}',
        '{"from":3,"type":"neighborinfo","payload":{"node_id":1,"neighbors":[{"node_id":2,"snr":3}]}}',
    ];

    it('survives ≥100,000 random and mutated inputs within the time budget', () => {
        const r = prng(0xc0dec);
        const started = Date.now();
        let total = 0;
        let ok = 0;
        const reasons = new Map<string, number>();
        const check = (topic: string, payload: Uint8Array): void => {
            let outcome: DecodeOutcome;
            try {
                outcome = decoder.decode(topic, payload);
            } catch (e) {
                expect.fail(
                    `decode threw for topic ${JSON.stringify(topic)} payload ${Buffer.from(payload).toString('hex')}: ${String(e)}`,
                );
            }
            const problem = outcomeProblem(outcome);
            if (problem !== undefined) {
                expect.fail(
                    `${problem} for topic ${JSON.stringify(topic)} payload ${Buffer.from(payload).toString('hex')}`,
                );
            }
            total++;
            if (outcome.ok) {
                ok++;
            } else {
                reasons.set(outcome.error.reason, (reasons.get(outcome.error.reason) ?? 0) + 1);
            }
        };

        for (let i = 0; i < 110_000; i++) {
            const v = vectors[r.int(vectors.length)];
            const kind = r.int(10);
            if (kind < 5) {
                check(v.topicText, mutate(v.bytes, r));
            } else if (kind === 5) {
                check(v.topicText, r.bytes(r.int(300)));
            } else if (kind === 6) {
                check(randomTopic(r), r.next() < 0.5 ? v.bytes : mutate(v.bytes, r));
            } else if (kind === 7) {
                const text = Buffer.from(jsonSamples[r.int(jsonSamples.length)]);
                check('msh/EU_868/2/json/LongFast/!a1b2c3d4', r.next() < 0.3 ? r.bytes(r.int(80)) : mutate(text, r));
            } else {
                // Structure-aware: valid envelopes around random Data / payloads / PKI blobs, reaching deep code paths.
                const header = {
                    ...emptyHeader(),
                    from: r.int(0x100000000),
                    to: r.next() < 0.5 ? ownNodeNum : 0xffffffff,
                    id: r.int(0x100000000),
                };
                const pkiLike = r.next() < 0.25;
                header.channel = pkiLike ? 0 : r.next() < 0.5 ? 8 : r.int(256);
                header.pkiEncrypted = pkiLike;
                const data = encodeData({
                    portnum: r.int(80),
                    payload: r.next() < 0.5 ? r.bytes(r.int(60)) : mutate(v.bytes, r),
                });
                const envelope =
                    r.next() < 0.5
                        ? {
                              channelId: pkiLike ? 'PKI' : 'LongFast',
                              gatewayId: '!a1b2c3d4',
                              header,
                              encrypted: r.next() < 0.5 ? data : r.bytes(r.int(120)),
                          }
                        : {
                              channelId: 'LongFast',
                              gatewayId: '',
                              header,
                              decoded: {
                                  portnum: 1 + r.int(300),
                                  payload: r.bytes(r.int(60)),
                                  wantResponse: false,
                                  dest: 0,
                                  source: 0,
                                  requestId: 0,
                                  replyId: 0,
                                  emoji: 0,
                              },
                          };
                check(pkiLike ? 'msh/EU_868/2/e/PKI/!a1b2c3d4' : v.topicText, encodeEnvelope(envelope));
            }
        }
        // Wrong types from a misbehaving transport.
        for (const payload of [undefined, null, 'text', 42, {}, [1, 2]]) {
            check(vectors[0].topicText, payload as Uint8Array);
            check('msh/2/json/x/!y', payload as Uint8Array);
        }
        const seconds = (Date.now() - started) / 1000;
        expect(total).to.be.at.least(100_000);
        expect(ok, 'some mutated inputs still decode').to.be.greaterThan(1000);
        for (const reason of ['topic', 'envelope', 'decrypt', 'pki', 'json']) {
            expect(reasons.get(reason) ?? 0, `reason ${reason} reached`).to.be.greaterThan(0);
        }
        expect(seconds, 'time budget').to.be.lessThan(20);
    });

    it('survives fast-check generated topics and payloads', () => {
        fc.assert(
            fc.property(
                fc.oneof(
                    fc.string({ maxLength: 140 }),
                    fc.constantFrom(...vectors.map(v => v.topicText), 'msh/2/json/a/!b', 'msh/2/map/'),
                ),
                fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...vectors.map(v => v.bytes))),
                (topic, payload) => {
                    assertTypedOutcome(decoder.decode(topic, payload));
                },
            ),
            { numRuns: 5000 },
        );
    });
});
