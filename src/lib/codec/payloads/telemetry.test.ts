import { type MessageInitShape } from '@bufbuild/protobuf';
import { Telemetry } from '@meshtastic/protobufs';
import { expect } from 'chai';
import { decodePayload } from '../payloads';
import type { TelemetryInfo } from '../types';
import { bin, decoded, Port } from './fixtures.test';

function telemetry(bytes: Uint8Array): TelemetryInfo {
    const payload = decoded(Port.TELEMETRY_APP, bytes);
    if (payload.type !== 'telemetry') {
        expect.fail(`expected telemetry, got ${payload.type}`);
    }
    return payload.telemetry;
}

describe('codec/payloads/telemetry', () => {
    it('reports only the metrics the node sent, per variant', () => {
        const cases: [MessageInitShape<typeof Telemetry.TelemetrySchema>['variant'], string, Record<string, number>][] =
            [
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
