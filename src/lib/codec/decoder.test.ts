import { expect } from 'chai';
import { Portnums } from '@meshtastic/protobufs';
import { ctrCrypt } from './crypto';
import { PacketDecoder } from './decoder';
import { encodeData, encodeEnvelope, emptyHeader } from './envelope';
import { channelHash, DEFAULT_PSK, defaultKeyChannels, KeyRing, makeChannelKey } from './keys';
import { encodeText, enumName } from './payloads';
import type { MeshPayload } from './types';
import { type EnvelopeVector, hex, vectorEnvelopes } from './vectors.test';

import { mustDecode } from '../../test-support/decode';
const longFastRing = new KeyRing([{ name: 'LongFast', key: DEFAULT_PSK }]);

function num(value: unknown): number {
    expect(value).to.be.a('number');
    return value as number;
}

/** Compares our typed payload with the vector's protobuf-es JSON meaning. */
function checkPayload(v: EnvelopeVector, payload: MeshPayload): void {
    const e = v.expected.payload ?? {};
    const port = v.expected.data?.portnum;
    switch (payload.type) {
        case 'text':
        case 'rangetest':
            expect(payload.text).to.equal(e.text);
            break;
        case 'position': {
            const p = payload.position;
            expect(p.latitude).to.be.closeTo(num(e.latitudeI) / 1e7, 1e-9);
            expect(p.longitude).to.be.closeTo(num(e.longitudeI) / 1e7, 1e-9);
            expect(p.altitude).to.equal(e.altitude);
            expect(p.time).to.equal(e.time);
            expect(p.precisionBits).to.equal(e.precisionBits ?? 32);
            if (e.groundTrack !== undefined) {
                expect(p.groundTrack).to.be.closeTo(num(e.groundTrack) / 1e5, 1e-9);
            }
            expect(p.groundSpeed).to.equal(e.groundSpeed);
            expect(p.satsInView).to.equal(e.satsInView);
            break;
        }
        case 'nodeinfo': {
            const u = payload.user;
            expect(u.id).to.equal(e.id);
            expect(u.longName).to.equal(e.longName);
            expect(u.shortName).to.equal(e.shortName);
            expect(u.hwModel).to.equal(e.hwModel);
            expect(u.role).to.equal(e.role ?? 'CLIENT');
            if (e.macaddr !== undefined) {
                expect(Buffer.from(u.macaddr ?? []).toString('base64')).to.equal(e.macaddr);
            }
            break;
        }
        case 'telemetry': {
            const t = payload.telemetry;
            expect(t.time).to.equal(e.time);
            const variants: Record<string, string> = {
                deviceMetrics: 'device',
                environmentMetrics: 'environment',
                powerMetrics: 'power',
            };
            const key = Object.keys(e).find(k => k in variants);
            expect(key, 'vector telemetry variant').to.be.a('string');
            expect(t.variant).to.equal(variants[key as string]);
            expect(t.metrics).to.deep.equal(e[key as string]);
            break;
        }
        case 'routing':
            expect(payload.routing.errorReason).to.equal(e.errorReason);
            expect(payload.routing.kind).to.equal(e.errorReason === 'NONE' ? 'ack' : 'nak');
            break;
        case 'traceroute':
            expect(payload.traceroute.route).to.deep.equal(e.route ?? []);
            break;
        case 'neighborinfo': {
            const n = payload.neighborInfo;
            expect(n.nodeId).to.equal(e.nodeId);
            expect(n.lastSentById).to.equal(e.lastSentById);
            expect(n.broadcastIntervalSecs).to.equal(e.nodeBroadcastIntervalSecs);
            expect(n.neighbors).to.deep.equal(e.neighbors);
            break;
        }
        case 'mapreport': {
            const m = payload.mapReport;
            expect(m.longName).to.equal(e.longName);
            expect(m.shortName).to.equal(e.shortName);
            expect(m.role).to.equal(e.role ?? 'CLIENT');
            expect(m.hwModel).to.equal(e.hwModel);
            expect(m.firmwareVersion).to.equal(e.firmwareVersion);
            expect(m.region).to.equal(e.region);
            expect(m.modemPreset).to.equal('LONG_FAST');
            expect(m.hasDefaultChannel).to.equal(e.hasDefaultChannel);
            expect(m.latitude).to.be.closeTo(num(e.latitudeI) / 1e7, 1e-9);
            expect(m.longitude).to.be.closeTo(num(e.longitudeI) / 1e7, 1e-9);
            expect(m.altitude).to.equal(e.altitude);
            expect(m.positionPrecision).to.equal(e.positionPrecision);
            expect(m.numOnlineLocalNodes).to.equal(e.numOnlineLocalNodes);
            break;
        }
        case 'storeforward':
            expect(payload.storeForward.kind).to.equal(e.rr);
            expect(payload.storeForward.heartbeatPeriod).to.equal((e.heartbeat as { period: number }).period);
            break;
        default:
            expect.fail(`vector ${v.name} (${port}) decoded to unexpected payload type ${payload.type}`);
    }
}

describe('codec/decoder', () => {
    describe('every captured vector decodes to its recorded meaning', () => {
        const decoder = new PacketDecoder({ keyRing: longFastRing });
        for (const v of vectorEnvelopes()) {
            const expected = v.expected;
            if (expected.decryptable_with_default_key === false) {
                it(`${v.name}: is a decrypt error with channel id, hash and gateway`, () => {
                    const outcome = decoder.decode(v.topicText, v.bytes);
                    expect(outcome.ok).to.equal(false);
                    if (outcome.ok) {
                        return;
                    }
                    expect(outcome.error.reason).to.equal('decrypt');
                    expect(outcome.error.channelId).to.equal(expected.envelope.channel_id);
                    expect(outcome.error.channelHash).to.equal(expected.packet.channel);
                    expect(outcome.error.gatewayId).to.equal(expected.envelope.gateway_id);
                    expect(outcome.error.channelHash).to.not.equal(channelHash('Yasenevo', DEFAULT_PSK));
                    expect(outcome.opaque?.reason).to.equal('decrypt');
                    expect(outcome.opaque?.header.from).to.equal(expected.packet.from);
                    expect(outcome.opaque?.header.id).to.equal(expected.packet.id);
                    expect(outcome.opaque?.gatewayId).to.equal(expected.envelope.gateway_id);
                });
                continue;
            }
            it(`${v.name}`, () => {
                const packet = mustDecode(decoder.decode(v.topicText, v.bytes));
                const p = expected.packet;
                expect(packet.channelId).to.equal(expected.envelope.channel_id);
                expect(packet.gatewayId).to.equal(expected.envelope.gateway_id);
                expect(packet.topic.root).to.equal('msh/EU_868');
                const h = packet.header;
                expect(h.from).to.equal(p.from);
                expect(h.to).to.equal(p.to);
                expect(h.id).to.equal(p.id ?? 0);
                expect(h.channel).to.equal(p.channel ?? 0);
                expect(h.hopLimit).to.equal(p.hop_limit ?? 0);
                expect(h.hopStart).to.equal(p.hop_start ?? 0);
                expect(h.wantAck).to.equal(p.want_ack ?? false);
                expect(h.rxTime).to.equal(p.rx_time ?? 0);
                expect(h.rxSnr).to.equal(p.rx_snr ?? 0);
                expect(h.rxRssi).to.equal(p.rx_rssi ?? 0);
                expect(h.priority).to.equal(p.priority ?? 0);
                expect(h.relayNode).to.equal(p.relay_node ?? 0);
                expect(h.nextHop).to.equal(p.next_hop ?? 0);
                if (p.payload_variant === 'encrypted') {
                    expect(packet.encryption).to.equal('channel');
                    expect(packet.channelName).to.equal('LongFast');
                    expect(p.channel_hash_matches_key).to.equal(true);
                    expect(hex(encodeData(packet.data))).to.equal(expected.decrypted_data_hex);
                } else {
                    expect(packet.encryption).to.equal('none');
                }
                const d = expected.data;
                expect(enumName(Portnums.PortNum, packet.data.portnum)).to.equal(d?.portnum);
                expect(packet.data.requestId).to.equal(d?.request_id ?? 0);
                expect(packet.data.wantResponse).to.equal(d?.want_response ?? false);
                expect(packet.data.bitfield).to.equal(d?.bitfield);
                expect(packet.payloadError).to.equal(undefined);
                checkPayload(v, packet.payload);
            });
        }
    });

    it('decodes the same under any root depth', () => {
        const decoder = new PacketDecoder({ keyRing: longFastRing });
        for (const root of ['msh', 'msh/EU_868', 'msh/US/CA/bay']) {
            for (const v of vectorEnvelopes(root)) {
                const outcome = decoder.decode(v.topicText, v.bytes);
                expect(outcome.ok, `${root} ${v.name}`).to.equal(v.expected.decryptable_with_default_key !== false);
                if (outcome.ok) {
                    expect(outcome.packet.topic.root).to.equal(root);
                }
            }
        }
    });

    it('tries every key with a colliding hash and keeps the one that yields Data', () => {
        // A wrong key with the same hash as LongFast/AQ== (8) under another name comes first in the ring.
        const wrongKey = new Uint8Array(16).fill(0x11);
        const target = channelHash('LongFast', DEFAULT_PSK);
        wrongKey[0] ^= channelHash('Decoy', wrongKey) ^ target;
        expect(channelHash('Decoy', wrongKey)).to.equal(target);
        const ring = new KeyRing([
            { name: 'Decoy', key: wrongKey },
            { name: 'LongFast', key: DEFAULT_PSK },
        ]);
        expect(ring.candidates(target).map(c => c.name)).to.deep.equal(['Decoy', 'LongFast']);
        const decoder = new PacketDecoder({ keyRing: ring });
        for (const v of vectorEnvelopes().filter(x => x.expected.packet.payload_variant === 'encrypted')) {
            const outcome = decoder.decode(v.topicText, v.bytes);
            if (v.expected.decryptable_with_default_key === false) {
                expect(outcome.ok).to.equal(false);
                continue;
            }
            expect(mustDecode(outcome).channelName, v.name).to.equal('LongFast');
        }
    });

    it('needs a matching hash: the right key under a different name does not decrypt (firmware semantics)', () => {
        const decoder = new PacketDecoder({ keyRing: new KeyRing([{ name: 'Other', key: DEFAULT_PSK }]) });
        const v = vectorEnvelopes().find(x => x.name === 'enc_longfast_text_2025');
        const outcome = decoder.decode(v?.topicText ?? '', v?.bytes ?? new Uint8Array());
        expect(outcome.ok).to.equal(false);
        if (!outcome.ok) {
            expect(outcome.error.reason).to.equal('decrypt');
            expect(outcome.error.message).to.contain('LongFast');
            expect(outcome.opaque?.channelId).to.equal('LongFast');
        }
    });

    it('decodes every preset channel on the default key', () => {
        const ring = new KeyRing(defaultKeyChannels());
        const decoder = new PacketDecoder({ keyRing: ring });
        const key = ring.byName('MediumFast');
        expect(key).to.not.equal(undefined);
        if (!key) {
            return;
        }
        const header = { ...emptyHeader(), from: 0x12345678, to: 0xffffffff, id: 77, channel: key.hash };
        const encrypted = ctrCrypt(key, 77, 0x12345678, encodeData({ portnum: 1, payload: encodeText('hi') }));
        const bytes = encodeEnvelope({ channelId: 'MediumFast', gatewayId: '!12345678', header, encrypted });
        const packet = mustDecode(decoder.decode('msh/EU_868/2/e/MediumFast/!12345678', bytes));
        expect(packet.channelName).to.equal('MediumFast');
        expect(packet.payload).to.deep.equal({ type: 'text', text: 'hi' });
    });

    it('treats a channel without key as plaintext in the encrypted field', () => {
        const decoder = new PacketDecoder({ keyRing: new KeyRing([{ name: 'Open', key: new Uint8Array([0]) }]) });
        const hash = channelHash('Open', new Uint8Array(0));
        const header = { ...emptyHeader(), from: 5, to: 0xffffffff, id: 9, channel: hash };
        const encrypted = encodeData({ portnum: 1, payload: encodeText('plain') });
        const bytes = encodeEnvelope({ channelId: 'Open', gatewayId: '!00000005', header, encrypted });
        const packet = mustDecode(decoder.decode('msh/2/e/Open/!00000005', bytes));
        expect(packet.encryption).to.equal('none');
        expect(packet.channelName).to.equal('Open');
        expect(packet.payload).to.deep.equal({ type: 'text', text: 'plain' });
    });

    describe('legacy JSON', () => {
        const json = Buffer.from('{"from":1,"to":4294967295,"id":2,"type":"text","payload":{"text":"hi"}}');

        it('is refused as a topic error when disabled', () => {
            const outcome = new PacketDecoder({ keyRing: longFastRing }).decode('msh/2/json/LongFast/!00000001', json);
            expect(outcome.ok).to.equal(false);
            if (!outcome.ok) {
                expect(outcome.error).to.include({ reason: 'topic', message: 'legacy JSON disabled' });
            }
        });

        it('decodes when enabled and reports garbage as json errors', () => {
            const decoder = new PacketDecoder({ keyRing: longFastRing, legacyJson: true });
            const packet = mustDecode(decoder.decode('msh/2/json/LongFast/!00000001', json));
            expect(packet.payload).to.deep.equal({ type: 'text', text: 'hi' });
            const bad = decoder.decode('msh/2/json/LongFast/!00000001', Buffer.from('{nope'));
            expect(bad.ok).to.equal(false);
            if (!bad.ok) {
                expect(bad.error.reason).to.equal('json');
                expect(bad.error.gatewayId).to.equal('!00000001');
            }
        });
    });

    describe('bad input of every kind is a typed error', () => {
        const decoder = new PacketDecoder({ keyRing: longFastRing, maxTopicLength: 64 });
        const valid = vectorEnvelopes()[0];

        function reasonOf(topic: string, payload: unknown): string {
            const outcome = decoder.decode(topic, payload as Uint8Array);
            expect(outcome.ok).to.equal(false);
            return outcome.ok ? '' : outcome.error.reason;
        }

        it('topics', () => {
            expect(reasonOf('msh/2/e/LongFast', valid.bytes)).to.equal('topic');
            expect(reasonOf(`msh/${'x'.repeat(80)}/2/e/LongFast/!a`, valid.bytes)).to.equal('topic');
            expect(reasonOf('msh/2/stat/!a', valid.bytes)).to.equal('topic');
            expect(reasonOf(42 as unknown as string, valid.bytes)).to.equal('topic');
        });

        it('envelopes', () => {
            const topic = valid.topicText;
            expect(reasonOf(topic, new Uint8Array([0xff, 0xff]))).to.equal('envelope');
            expect(reasonOf(topic, new Uint8Array(0))).to.equal('envelope');
            expect(reasonOf(topic, 'not bytes')).to.equal('envelope');
            // packet without payload variant
            const noPayload = encodeEnvelope({ channelId: 'LongFast', gatewayId: '!a', header: emptyHeader() });
            expect(reasonOf(topic, noPayload)).to.equal('envelope');
        });

        it('a payload that does not parse is kept raw with payloadError', () => {
            const header = { ...emptyHeader(), from: 7, to: 0xffffffff, id: 1 };
            const decoded = {
                portnum: 3,
                payload: new Uint8Array([0x0a, 0xff]),
                wantResponse: false,
                dest: 0,
                source: 0,
                requestId: 0,
                replyId: 0,
                emoji: 0,
            };
            const bytes = encodeEnvelope({ channelId: 'LongFast', gatewayId: '!00000007', header, decoded });
            const packet = mustDecode(decoder.decode('msh/2/e/LongFast/!00000007', bytes));
            expect(packet.payload.type).to.equal('raw');
            expect(packet.payloadError).to.match(/^POSITION_APP: /);
        });

        it('falls back to the topic for an empty envelope channel or gateway id', () => {
            const header = { ...emptyHeader(), from: 7, to: 0xffffffff, id: 1, channel: 8 };
            const encrypted = ctrCrypt(
                makeChannelKey('LongFast', DEFAULT_PSK),
                1,
                7,
                encodeData({ portnum: 1, payload: encodeText('x') }),
            );
            const bytes = encodeEnvelope({ channelId: '', gatewayId: '', header, encrypted });
            const packet = mustDecode(decoder.decode('msh/2/e/LongFast/!00000007', bytes));
            expect(packet.channelId).to.equal('LongFast');
            expect(packet.gatewayId).to.equal('!00000007');
        });
    });
});
