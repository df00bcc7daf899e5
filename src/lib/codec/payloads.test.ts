import { create, type DescMessage, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
import type { Config } from '@meshtastic/protobufs';
import { Mesh, Mqtt, PaxCount, Portnums, StoreForward, Telemetry } from '@meshtastic/protobufs';
import { expect } from 'chai';
import fc from 'fast-check';
import {
    accuracyMeters,
    decodePayload,
    encodePosition,
    encodeRoutingAck,
    encodeText,
    encodeUser,
    enumName,
    normalisePrecisionBits,
    stripNul,
} from './payloads';
import type { MeshPayload, TelemetryInfo } from './types';
import { hex } from './vectors.test';

const Port = Portnums.PortNum;

function bin<Desc extends DescMessage>(schema: Desc, init: MessageInitShape<Desc>): Uint8Array {
    return toBinary(schema, create(schema, init));
}

function decoded(portnum: number, bytes: Uint8Array): MeshPayload {
    const result = decodePayload(portnum, bytes);
    expect(result.error, `port ${portnum}`).to.equal(undefined);
    return result.payload;
}

function telemetry(bytes: Uint8Array): TelemetryInfo {
    const payload = decoded(Port.TELEMETRY_APP, bytes);
    if (payload.type !== 'telemetry') {
        expect.fail(`expected telemetry, got ${payload.type}`);
    }
    return payload.telemetry;
}

describe('codec/payloads', () => {
    describe('text ports', () => {
        it('decodes text, range test, detection sensor and alert', () => {
            const bytes = encodeText('héllo 👋');
            expect(decoded(Port.TEXT_MESSAGE_APP, bytes)).to.deep.equal({ type: 'text', text: 'héllo 👋' });
            expect(decoded(Port.RANGE_TEST_APP, encodeText('seq 1'))).to.deep.equal({
                type: 'rangetest',
                text: 'seq 1',
            });
            expect(decoded(Port.DETECTION_SENSOR_APP, encodeText('motion'))).to.deep.equal({
                type: 'detection',
                text: 'motion',
            });
            expect(decoded(11, encodeText('fire'))).to.deep.equal({ type: 'alert', text: 'fire' });
        });

        it('never throws on invalid UTF-8 (replacement characters instead)', () => {
            const payload = decoded(Port.TEXT_MESSAGE_APP, new Uint8Array([0x41, 0xf0, 0x9f, 0x42, 0xff]));
            expect(payload).to.deep.equal({ type: 'text', text: 'A\ufffdB\ufffd' });
            fc.assert(
                fc.property(fc.uint8Array({ maxLength: 64 }), bytes => {
                    expect(decodePayload(Port.TEXT_MESSAGE_APP, bytes).payload.type).to.equal('text');
                }),
            );
        });
    });

    describe('position', () => {
        it('converts coordinates and reports precision and accuracy', () => {
            const bytes = bin(Mesh.PositionSchema, {
                latitudeI: 515000000,
                longitudeI: -1000000,
                altitude: 12,
                time: 1700000000,
                groundSpeed: 3,
                groundTrack: 9000000,
                satsInView: 9,
                precisionBits: 13,
            });
            const payload = decoded(Port.POSITION_APP, bytes);
            expect(payload).to.deep.equal({
                type: 'position',
                position: {
                    latitude: 51.5,
                    longitude: -0.1,
                    altitude: 12,
                    time: 1700000000,
                    groundSpeed: 3,
                    groundTrack: 90,
                    satsInView: 9,
                    precisionBits: 13,
                    accuracyMeters: accuracyMeters(13),
                },
            });
        });

        it('leaves coordinates out when the node sent none (absent or 0/0)', () => {
            const none = decoded(Port.POSITION_APP, bin(Mesh.PositionSchema, { time: 5 }));
            expect(none).to.deep.equal({
                type: 'position',
                position: { precisionBits: 32, accuracyMeters: 0, time: 5 },
            });
            const zero = decoded(
                Port.POSITION_APP,
                bin(Mesh.PositionSchema, { latitudeI: 0, longitudeI: 0, timestamp: 7 }),
            );
            expect(zero).to.deep.equal({
                type: 'position',
                position: { precisionBits: 32, accuracyMeters: 0, time: 7 },
            });
            const equator = decoded(Port.POSITION_APP, bin(Mesh.PositionSchema, { latitudeI: 0, longitudeI: 10 }));
            expect(equator.type === 'position' && equator.position.latitude).to.equal(0);
        });

        it('computes the precision cell radius', () => {
            expect(accuracyMeters(32)).to.equal(0);
            expect(accuracyMeters(0)).to.equal(0);
            expect(accuracyMeters(13)).to.be.closeTo(2918, 1); // cell ≈ 5.8 km, radius half of it
            expect(accuracyMeters(14)).to.be.closeTo(1459, 1);
            expect(accuracyMeters(16)).to.be.closeTo(364.8, 0.1);
            expect(normalisePrecisionBits(undefined)).to.equal(32);
            expect(normalisePrecisionBits(40)).to.equal(32);
            expect(normalisePrecisionBits(Number.NaN)).to.equal(32);
            expect(normalisePrecisionBits(12.7)).to.equal(12);
        });

        it('encodes positions, snapping reduced precision to the cell centre like firmware', () => {
            const full = decoded(
                Port.POSITION_APP,
                encodePosition({ latitude: 52.52, longitude: 13.405, altitude: 34.4, time: 9 }),
            );
            expect(full).to.deep.equal({
                type: 'position',
                position: {
                    latitude: 52.52,
                    longitude: 13.405,
                    altitude: 34,
                    time: 9,
                    precisionBits: 32,
                    accuracyMeters: 0,
                },
            });
            const coarse = decoded(
                Port.POSITION_APP,
                encodePosition({ latitude: 52.52, longitude: 13.405, precisionBits: 16 }),
            );
            if (coarse.type !== 'position') {
                expect.fail('not a position');
            }
            const lat = Math.round(52.52e7);
            const expectedLat = ((lat & (0xffffffff << 16)) + (1 << 15)) / 1e7;
            expect(coarse.position.latitude).to.equal(expectedLat);
            expect(coarse.position.precisionBits).to.equal(16);
            expect(Math.abs((coarse.position.latitude ?? 0) - 52.52)).to.be.lessThan(0.0033);
            expect(Math.abs((coarse.position.longitude ?? 0) - 13.405)).to.be.lessThan(0.0033);
            const south = decoded(
                Port.POSITION_APP,
                encodePosition({ latitude: -33.9, longitude: -151.2, precisionBits: 13 }),
            );
            expect(south.type === 'position' && Math.abs((south.position.latitude ?? 0) + 33.9)).to.be.lessThan(0.06);
        });
    });

    describe('nodeinfo', () => {
        it('round-trips our own User and names enums', () => {
            const publicKey = new Uint8Array(32).fill(7);
            const bytes = encodeUser({
                id: '!a1b2c3d4',
                longName: 'ioBroker',
                shortName: 'ioB',
                hwModel: 255,
                role: 0,
                publicKey,
                isLicensed: false,
            });
            expect(decoded(Port.NODEINFO_APP, bytes)).to.deep.equal({
                type: 'nodeinfo',
                user: {
                    id: '!a1b2c3d4',
                    longName: 'ioBroker',
                    shortName: 'ioB',
                    hwModel: 'PRIVATE_HW',
                    hwModelNumber: 255,
                    role: 'CLIENT',
                    roleNumber: 0,
                    isLicensed: false,
                    isUnmessagable: false,
                    publicKey,
                },
            });
        });

        it('keeps unknown enum numbers as strings and strips NUL padding', () => {
            const bytes = bin(Mesh.UserSchema, {
                id: '!00000001',
                longName: 'Name\0\0\0',
                shortName: 'N\0',
                // numbers newer firmware may send but the bundled enums do not know
                hwModel: 9999 as Mesh.HardwareModel,
                role: 77 as Config.Config_DeviceConfig_Role,
                isUnmessagable: true,
            });
            const payload = decoded(Port.NODEINFO_APP, bytes);
            if (payload.type !== 'nodeinfo') {
                expect.fail('not nodeinfo');
            }
            expect(payload.user).to.include({
                longName: 'Name',
                shortName: 'N',
                hwModel: '9999',
                hwModelNumber: 9999,
                role: '77',
                isUnmessagable: true,
            });
            expect(enumName(Mesh.HardwareModel, -5)).to.equal('-5');
            expect(stripNul('abc')).to.equal('abc');
        });
    });

    describe('telemetry', () => {
        it('reports only the metrics the node sent, per variant', () => {
            const cases: [
                MessageInitShape<typeof Telemetry.TelemetrySchema>['variant'],
                string,
                Record<string, number>,
            ][] = [
                [
                    { case: 'deviceMetrics', value: { batteryLevel: 101, voltage: 0 } },
                    'device',
                    { batteryLevel: 101, voltage: 0 },
                ],
                [
                    { case: 'environmentMetrics', value: { temperature: 21.5, iaq: 50 } },
                    'environment',
                    { temperature: 21.5, iaq: 50 },
                ],
                [
                    { case: 'airQualityMetrics', value: { pm25Standard: 12, co2: 415 } },
                    'airQuality',
                    { pm25Standard: 12, co2: 415 },
                ],
                [
                    { case: 'powerMetrics', value: { ch1Voltage: 5, ch1Current: 0.5 } },
                    'power',
                    { ch1Voltage: 5, ch1Current: 0.5 },
                ],
                [{ case: 'healthMetrics', value: { heartBpm: 60, spO2: 98 } }, 'health', { heartBpm: 60, spO2: 98 }],
            ];
            for (const [variant, name, metrics] of cases) {
                const t = telemetry(bin(Telemetry.TelemetrySchema, { time: 100, variant }));
                expect(t).to.deep.equal({ variant: name, time: 100, metrics });
            }
        });

        it('includes implicit-presence fields (local stats) even at 0', () => {
            const t = telemetry(
                bin(Telemetry.TelemetrySchema, {
                    variant: { case: 'localStats', value: { uptimeSeconds: 10, numPacketsTx: 3 } },
                }),
            );
            expect(t.variant).to.equal('localStats');
            expect(t.metrics).to.include({ uptimeSeconds: 10, numPacketsTx: 3, numPacketsRxBad: 0, noiseFloor: 0 });
        });

        it('converts uint64 host metrics to numbers and leaves strings out', () => {
            const t = telemetry(
                bin(Telemetry.TelemetrySchema, {
                    variant: {
                        case: 'hostMetrics',
                        value: {
                            uptimeSeconds: 5,
                            freememBytes: 123456789n,
                            diskfree2Bytes: 5n,
                            load1: 150,
                            userString: 'hi',
                        },
                    },
                }),
            );
            expect(t.variant).to.equal('host');
            expect(t.metrics).to.include({ uptimeSeconds: 5, freememBytes: 123456789, diskfree2Bytes: 5, load1: 150 });
            expect(t.metrics).to.not.have.property('userString');
            expect(t.metrics).to.not.have.property('diskfree3Bytes');
        });

        it('drops non-finite floats', () => {
            const t = telemetry(
                bin(Telemetry.TelemetrySchema, {
                    variant: { case: 'environmentMetrics', value: { temperature: Number.NaN, lux: 3 } },
                }),
            );
            expect(t.metrics).to.deep.equal({ lux: 3 });
        });

        it('keeps telemetry without a known variant raw, without an error', () => {
            const bytes = bin(Telemetry.TelemetrySchema, { time: 1 });
            const result = decodePayload(Port.TELEMETRY_APP, bytes);
            expect(result.error).to.equal(undefined);
            expect(result.payload).to.deep.equal({ type: 'raw', portnum: Port.TELEMETRY_APP, bytes });
        });
    });

    describe('other ports', () => {
        it('neighbor info', () => {
            const bytes = bin(Mesh.NeighborInfoSchema, {
                nodeId: 0xfa000001,
                lastSentById: 2,
                nodeBroadcastIntervalSecs: 900,
                neighbors: [{ nodeId: 0xfa000003, snr: -7.25 }],
            });
            expect(decoded(Port.NEIGHBORINFO_APP, bytes)).to.deep.equal({
                type: 'neighborinfo',
                neighborInfo: {
                    nodeId: 0xfa000001,
                    lastSentById: 2,
                    broadcastIntervalSecs: 900,
                    neighbors: [{ nodeId: 0xfa000003, snr: -7.25 }],
                },
            });
        });

        it('map report without location', () => {
            const bytes = bin(Mqtt.MapReportSchema, { longName: 'X', region: 3, modemPreset: 4, hwModel: 43, role: 2 });
            const payload = decoded(Port.MAP_REPORT_APP, bytes);
            if (payload.type !== 'mapreport') {
                expect.fail('not a map report');
            }
            expect(payload.mapReport).to.include({
                region: 'EU_868',
                modemPreset: 'MEDIUM_FAST',
                hwModel: 'HELTEC_V3',
                role: 'ROUTER',
            });
            expect(payload.mapReport.latitude).to.equal(undefined);
            expect(payload.mapReport.altitude).to.equal(undefined);
        });

        it('routing ack, nak, route request/reply and empty routing', () => {
            expect(hex(encodeRoutingAck())).to.equal('1800');
            expect(decoded(Port.ROUTING_APP, encodeRoutingAck())).to.deep.equal({
                type: 'routing',
                routing: { kind: 'ack', errorReason: 'NONE', errorCode: 0 },
            });
            expect(decoded(Port.ROUTING_APP, encodeRoutingAck(Mesh.Routing_Error.PKI_UNKNOWN_PUBKEY))).to.deep.equal({
                type: 'routing',
                routing: { kind: 'nak', errorReason: 'PKI_UNKNOWN_PUBKEY', errorCode: 35 },
            });
            const request = bin(Mesh.RoutingSchema, { variant: { case: 'routeRequest', value: { route: [1] } } });
            expect(decoded(Port.ROUTING_APP, request)).to.deep.equal({
                type: 'routing',
                routing: { kind: 'request', errorReason: 'NONE', errorCode: 0 },
            });
            const reply = bin(Mesh.RoutingSchema, { variant: { case: 'routeReply', value: {} } });
            expect(decoded(Port.ROUTING_APP, reply)).to.deep.include({
                routing: { kind: 'reply', errorReason: 'NONE', errorCode: 0 },
            });
            expect(decoded(Port.ROUTING_APP, new Uint8Array(0))).to.deep.equal({
                type: 'raw',
                portnum: Port.ROUTING_APP,
                bytes: new Uint8Array(0),
            });
            expect(decoded(Port.ROUTING_APP, encodeRoutingAck(250))).to.deep.include({
                routing: { kind: 'nak', errorReason: '250', errorCode: 250 },
            });
        });

        it('traceroute SNRs in dB with -128 as unknown', () => {
            const bytes = bin(Mesh.RouteDiscoverySchema, {
                route: [0xdeadbeef],
                snrTowards: [24, -128],
                routeBack: [5],
                snrBack: [-10],
            });
            expect(decoded(Port.TRACEROUTE_APP, bytes)).to.deep.equal({
                type: 'traceroute',
                traceroute: { route: [0xdeadbeef], snrTowards: [6, undefined], routeBack: [5], snrBack: [-2.5] },
            });
        });

        it('waypoint', () => {
            const bytes = bin(Mesh.WaypointSchema, {
                id: 7,
                latitudeI: 100000000,
                longitudeI: 200000000,
                expire: 1700000000,
                lockedTo: 3,
                name: 'Camp\0',
                description: 'tent',
                icon: 0x1f3d5,
            });
            expect(decoded(Port.WAYPOINT_APP, bytes)).to.deep.equal({
                type: 'waypoint',
                waypoint: {
                    id: 7,
                    latitude: 10,
                    longitude: 20,
                    expire: 1700000000,
                    lockedTo: 3,
                    name: 'Camp',
                    description: 'tent',
                    icon: 0x1f3d5,
                },
            });
            const nowhere = decoded(Port.WAYPOINT_APP, bin(Mesh.WaypointSchema, { id: 1 }));
            expect(nowhere.type === 'waypoint' && nowhere.waypoint.latitude).to.equal(undefined);
        });

        it('paxcounter', () => {
            const bytes = bin(PaxCount.PaxcountSchema, { wifi: 3, ble: 4, uptime: 5 });
            expect(decoded(Port.PAXCOUNTER_APP, bytes)).to.deep.equal({
                type: 'paxcounter',
                paxcounter: { wifi: 3, ble: 4, uptime: 5 },
            });
        });

        it('store and forward heartbeat and text', () => {
            const text = bin(StoreForward.StoreAndForwardSchema, {
                rr: StoreForward.StoreAndForward_RequestResponse.ROUTER_TEXT_BROADCAST,
                variant: { case: 'text', value: encodeText('stored') },
            });
            expect(decoded(Port.STORE_FORWARD_APP, text)).to.deep.equal({
                type: 'storeforward',
                storeForward: { kind: 'ROUTER_TEXT_BROADCAST', text: 'stored' },
            });
            const stats = bin(StoreForward.StoreAndForwardSchema, {
                rr: 999 as StoreForward.StoreAndForward_RequestResponse,
                variant: { case: 'stats', value: {} },
            });
            expect(decoded(Port.STORE_FORWARD_APP, stats)).to.deep.equal({
                type: 'storeforward',
                storeForward: { kind: '999' },
            });
        });

        it('keeps other ports raw', () => {
            const bytes = new Uint8Array([1, 2, 3]);
            expect(decoded(Port.ADMIN_APP, bytes)).to.deep.equal({ type: 'raw', portnum: Port.ADMIN_APP, bytes });
            expect(decoded(4242, bytes)).to.deep.equal({ type: 'raw', portnum: 4242, bytes });
        });

        it('turns payloads that do not parse into raw + error, for every structured port', () => {
            const garbage = new Uint8Array([0x0a, 0xff, 0xff]);
            for (const port of [3, 4, 5, 8, 34, 65, 67, 70, 71, 73]) {
                const result = decodePayload(port, garbage);
                expect(result.payload, `port ${port}`).to.deep.equal({ type: 'raw', portnum: port, bytes: garbage });
                expect(result.error, `port ${port}`).to.match(new RegExp(`^${enumName(Port, port)}: `));
            }
        });

        it('never throws for any port and any bytes', () => {
            fc.assert(
                fc.property(fc.integer({ min: -1, max: 300 }), fc.uint8Array({ maxLength: 80 }), (port, bytes) => {
                    const result = decodePayload(port, bytes);
                    expect(result.payload.type).to.be.a('string');
                }),
                { numRuns: 3000 },
            );
        });
    });
});
