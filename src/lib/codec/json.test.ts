import { expect } from 'chai';
import fc from 'fast-check';
import { decodeLegacyJson } from './json';
import { parseTopic } from './topic';
import type { DecodedPacket, ParsedTopic } from './types';

function topicOf(text: string): ParsedTopic {
    const result = parseTopic(text);
    if (!result.ok) {
        throw new Error(result.message);
    }
    return result.value;
}

const topic = topicOf('msh/EU_868/2/json/LongFast/!e2e52244');

function packet(text: string): DecodedPacket {
    const result = decodeLegacyJson(topic, text);
    if (!result.ok) {
        expect.fail(`decodeLegacyJson failed: ${result.message}`);
    }
    return result.value;
}

function jsonError(text: string): string {
    const result = decodeLegacyJson(topic, text);
    expect(result.ok, text).to.equal(false);
    if (result.ok) {
        return '';
    }
    expect(result.reason).to.equal('json');
    return result.message;
}

const base = {
    channel: 0,
    from: 4201166456,
    id: 935928891,
    sender: '!e2e52244',
    to: 4294967295,
    timestamp: 1712653096,
};

function withPayload(type: string, payload: unknown, extra: Record<string, unknown> = {}): string {
    return JSON.stringify({ ...base, ...extra, type, payload });
}

describe('codec/json (legacy JSON uplink)', () => {
    it('decodes the real 2.3.x nodeinfo capture, stripping NUL padding', () => {
        const capture =
            '{"channel":0,"from":4201166456,"hops_away":0,"id":935928891,"payload":{"hardware":44,"id":"!fa68b678","longname":"P2000 Portal \\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000","shortname":"P200"},"rssi":-85,"sender":"!e2e52244","snr":6.5,"timestamp":1712653096,"to":4294967295,"type":"nodeinfo"}';
        const p = packet(capture);
        expect(p.encryption).to.equal('none');
        expect(p.channelId).to.equal('LongFast');
        expect(p.channelName).to.equal('LongFast');
        expect(p.gatewayId).to.equal('!e2e52244');
        expect(p.header).to.include({
            from: 4201166456,
            to: 4294967295,
            id: 935928891,
            channel: 0,
            rxTime: 1712653096,
            rxRssi: -85,
            rxSnr: 6.5,
            hopStart: 0,
            hopLimit: 0,
        });
        expect(p.data.portnum).to.equal(4);
        expect(p.payload).to.deep.equal({
            type: 'nodeinfo',
            user: {
                id: '!fa68b678',
                longName: 'P2000 Portal ',
                shortName: 'P200',
                hwModel: 'HELTEC_WSL_V3',
                hwModelNumber: 44,
                role: 'CLIENT',
                roleNumber: 0,
                isLicensed: false,
                isUnmessagable: false,
            },
        });
    });

    it('derives hop limit from hop_start and hops_away, and keeps hops_away alone as start/limit', () => {
        const p = packet(withPayload('text', { text: 'x' }, { hop_start: 5, hops_away: 2 }));
        expect(p.header.hopStart).to.equal(5);
        expect(p.header.hopLimit).to.equal(3);
        const old = packet(withPayload('text', { text: 'x' }, { hops_away: 2 }));
        expect(old.header.hopStart - old.header.hopLimit).to.equal(2);
        const weird = packet(withPayload('text', { text: 'x' }, { hop_start: 1, hops_away: 4 }));
        expect(weird.header.hopLimit).to.equal(0);
    });

    it('decodes text, including text that was itself JSON', () => {
        const p = packet(withPayload('text', { text: 'hello' }));
        expect(p.payload).to.deep.equal({ type: 'text', text: 'hello' });
        expect(Buffer.from(p.data.payload).toString()).to.equal('hello');
        expect(packet(withPayload('text', [1, 2])).payload).to.deep.equal({ type: 'text', text: '[1,2]' });
        expect(packet(withPayload('text', 'plain')).payload).to.deep.equal({ type: 'text', text: 'plain' });
        expect(packet(JSON.stringify({ ...base, type: 'text' })).payload).to.deep.equal({ type: 'text', text: '' });
    });

    it('decodes positions', () => {
        const p = packet(
            withPayload('position', {
                latitude_i: 515000000,
                longitude_i: -1000000,
                altitude: 30,
                time: 1712653000,
                precision_bits: 13,
                sats_in_view: 7,
                ground_speed: 2,
                ground_track: 18000000,
                PDOP: 150,
            }),
        );
        expect(p.data.portnum).to.equal(3);
        expect(p.payload.type === 'position' && p.payload.position).to.deep.include({
            latitude: 51.5,
            longitude: -0.1,
            altitude: 30,
            time: 1712653000,
            precisionBits: 13,
            satsInView: 7,
            groundSpeed: 2,
            groundTrack: 180,
        });
    });

    it('tells telemetry variants apart by their keys', () => {
        const device = packet(
            withPayload('telemetry', { battery_level: 90, voltage: 4.09999990463257, air_util_tx: 0.5 }),
        );
        expect(device.payload).to.deep.equal({
            type: 'telemetry',
            telemetry: {
                variant: 'device',
                time: 1712653096,
                metrics: { batteryLevel: 90, voltage: 4.09999990463257, airUtilTx: 0.5 },
            },
        });
        const env = packet(withPayload('telemetry', { temperature: 20, relative_humidity: 50, rainfall_1h: 1 }));
        expect(env.payload.type === 'telemetry' && env.payload.telemetry).to.deep.include({
            variant: 'environment',
            metrics: { temperature: 20, relativeHumidity: 50, rainfall1h: 1 },
        });
        const air = packet(withPayload('telemetry', { pm25: 5, co2: 400, form_formaldehyde: 1 }));
        expect(air.payload.type === 'telemetry' && air.payload.telemetry.metrics).to.deep.equal({
            pm25Standard: 5,
            co2: 400,
            formFormaldehyde: 1,
        });
        const power = packet(withPayload('telemetry', { voltage_ch1: 5, current_ch1: 1 }));
        expect(power.payload.type === 'telemetry' && power.payload.telemetry).to.deep.include({
            variant: 'power',
            metrics: { ch1Voltage: 5, ch1Current: 1 },
        });
        expect(packet(withPayload('telemetry', {})).payload).to.deep.equal({
            type: 'raw',
            portnum: 67,
            bytes: new Uint8Array(0),
        });
        const hostile = packet(
            '{"from":1,"type":"telemetry","payload":{"__proto__":5,"constructor":3,"toString":"x"}}',
        );
        expect(hostile.payload.type === 'telemetry' && hostile.payload.telemetry.metrics).to.deep.equal({
            _Proto__: 5,
            constructor: 3,
        });
    });

    it('decodes neighbor info, waypoints, detection sensor and paxcounter', () => {
        const n = packet(
            withPayload('neighborinfo', {
                node_id: 1,
                last_sent_by_id: 2,
                node_broadcast_interval_secs: 900,
                neighbors_count: 2,
                neighbors: [{ node_id: 3, snr: 6 }, { node_id: 4 }, 'junk'],
            }),
        );
        expect(n.payload).to.deep.equal({
            type: 'neighborinfo',
            neighborInfo: {
                nodeId: 1,
                lastSentById: 2,
                broadcastIntervalSecs: 900,
                neighbors: [
                    { nodeId: 3, snr: 6 },
                    { nodeId: 4, snr: 0 },
                ],
            },
        });
        const w = packet(
            withPayload('waypoint', {
                id: 9,
                name: 'Hut',
                description: 'dry',
                expire: 0,
                locked_to: 0,
                latitude_i: 10000000,
                longitude_i: 20000000,
            }),
        );
        expect(w.payload).to.deep.equal({
            type: 'waypoint',
            waypoint: {
                id: 9,
                name: 'Hut',
                description: 'dry',
                expire: 0,
                lockedTo: 0,
                icon: 0,
                latitude: 1,
                longitude: 2,
            },
        });
        const wNoPos = packet(withPayload('waypoint', { id: 9 }));
        expect(wNoPos.payload.type === 'waypoint' && wNoPos.payload.waypoint.latitude).to.equal(undefined);
        expect(packet(withPayload('detection', { text: 'alarm' })).payload).to.deep.equal({
            type: 'detection',
            text: 'alarm',
        });
        expect(packet(withPayload('detection', {})).payload).to.deep.equal({ type: 'detection', text: '' });
        expect(packet(withPayload('paxcounter', { wifi_count: 3, ble_count: 4, uptime: 5 })).payload).to.deep.equal({
            type: 'paxcounter',
            paxcounter: { wifi: 3, ble: 4, uptime: 5 },
        });
    });

    it('keeps traceroute (node names), gpio, unsupported and payload-less packets raw', () => {
        expect(packet(withPayload('traceroute', { route: ['A'] })).payload).to.deep.equal({
            type: 'raw',
            portnum: 70,
            bytes: new Uint8Array(0),
        });
        expect(packet(withPayload('gpios_changed', { gpio_value: 1 })).data.portnum).to.equal(2);
        expect(packet(withPayload('', {})).data.portnum).to.equal(0);
        expect(packet(withPayload('constructor', {})).data.portnum).to.equal(0);
        expect(packet(JSON.stringify({ from: 1, type: 'position' })).payload.type).to.equal('raw');
    });

    it('converts signed node numbers of old firmware and defaults missing fields', () => {
        const p = packet('{"from":-93800840,"to":-1,"id":-5,"type":"text","payload":{"text":"a"}}');
        expect(p.header.from).to.equal(4201166456);
        expect(p.header.to).to.equal(0xffffffff);
        expect(p.header.id).to.equal(0xfffffffb);
        const minimal = decodeLegacyJson(topicOf('msh/2/json/X/!00000001'), '{"from":1}');
        expect(minimal.ok && minimal.value.header.to).to.equal(0xffffffff);
        expect(minimal.ok && minimal.value.gatewayId).to.equal('!00000001');
        const noTopicGateway = decodeLegacyJson({ root: 'msh', kind: 'json' }, '{"from":1}');
        expect(noTopicGateway.ok && noTopicGateway.value.gatewayId).to.equal('');
        expect(noTopicGateway.ok && noTopicGateway.value.channelId).to.equal('');
    });

    it('refuses garbage, non-objects, missing from and downlink commands', () => {
        expect(jsonError('{oops')).to.contain('not JSON');
        expect(jsonError('')).to.contain('not JSON');
        expect(jsonError('[1,2]')).to.contain('not an object');
        expect(jsonError('null')).to.contain('not an object');
        expect(jsonError('"text"')).to.contain('not an object');
        expect(jsonError('{"type":"text"}')).to.contain('"from"');
        expect(jsonError('{"from":"1"}')).to.contain('"from"');
        expect(jsonError('{"from":1,"type":"sendtext","payload":"hi"}')).to.contain('downlink command');
        expect(jsonError('{"from":1,"type":"sendposition","payload":{}}')).to.contain('downlink command');
    });

    it('never throws on arbitrary JSON values or text', () => {
        fc.assert(
            fc.property(fc.oneof(fc.json(), fc.string()), text => {
                const result = decodeLegacyJson(topic, text);
                expect(typeof result.ok).to.equal('boolean');
            }),
            { numRuns: 2000 },
        );
        const typeArb = fc.constantFrom(
            'text',
            'position',
            'nodeinfo',
            'telemetry',
            'neighborinfo',
            'waypoint',
            'detection',
            'paxcounter',
        );
        fc.assert(
            fc.property(typeArb, fc.jsonValue(), (type, payload) => {
                const result = decodeLegacyJson(topic, JSON.stringify({ from: 1, type, payload }));
                expect(result.ok).to.equal(true);
            }),
            { numRuns: 2000 },
        );
    });
});
