import { expect } from 'chai';
import {
    decoded,
    gw,
    mapReportPacket,
    meshModel,
    neighborinfo,
    nodeinfo,
    position,
    sectionsOf,
    T0,
    telemetry,
} from '../../../test-support/mesh-fixtures';
import { precisionRadiusMeters } from './position';

const A = 0x11111111;
const B = 0x22222222;
const GW1 = 0x0a0a0a0a;

describe('mesh: payload handlers (through the model)', () => {
    describe('payloads', () => {
        it('nodeinfo sets user info, keeps the id from `from` and encodes the public key', () => {
            const m = meshModel();
            const key = new Uint8Array(32).fill(7);
            const events = m.ingest(
                decoded({ from: A, payload: nodeinfo({ id: '!deadbeef', publicKey: key, role: 'ROUTER' }) }),
                T0,
            );
            expect(sectionsOf(events, A)).to.include('info');
            const node = m.node(A)!;
            expect(node.id).to.equal('!11111111');
            expect(node.user).to.deep.equal({
                longName: 'Alpha Station',
                shortName: 'ALP',
                hwModel: 'HELTEC_V3',
                role: 'ROUTER',
                isLicensed: false,
                isUnmessagable: false,
                publicKey: Buffer.from(key).toString('base64'),
            });
            expect(m.node(0xdeadbeef)).to.equal(undefined);
            // The same nodeinfo again changes nothing but status.
            const again = m.ingest(
                decoded({ from: A, id: 2, payload: nodeinfo({ publicKey: key, role: 'ROUTER' }) }),
                T0 + 1,
            );
            expect(sectionsOf(again, A)).to.deep.equal(['status']);
        });

        it('sanitises hostile names and caps their length', () => {
            const m = meshModel();
            m.ingest(
                decoded({
                    from: A,
                    payload: nodeinfo({
                        longName: `\u0000\u0000Evil\u202e\n<script>${'x'.repeat(500)}\u0000\u0000`,
                        shortName: '\u0007🦄🦄🦄🦄🦄🦄🦄🦄🦄🦄',
                        hwModel: 'A'.repeat(100),
                    }),
                }),
                T0,
            );
            const user = m.node(A)!.user!;
            expect(user.longName.startsWith('Evil <script>')).to.equal(true);
            expect([...user.longName]).to.have.length(40);
            expect([...user.longName].some(c => c.charCodeAt(0) < 0x20 || c === '\u202e')).to.equal(false);
            expect(user.shortName).to.equal('🦄'.repeat(8));
            expect(user.hwModel).to.have.length(32);
            expect(m.node(A)!.id).to.equal('!11111111');
        });

        it('position: stores a fix, ignores packets without one', () => {
            const m = meshModel();
            m.ingest(decoded({ from: A, id: 1, payload: position({ precisionBits: 13, accuracyMeters: 2918 }) }), T0);
            expect(m.node(A)?.position).to.deep.equal({
                latitude: 52.52,
                longitude: 13.405,
                altitude: 34,
                precisionBits: 13,
                accuracyMeters: 2918,
            });
            const noFix = m.ingest(
                decoded({ from: A, id: 2, payload: position({ latitude: undefined, longitude: undefined }) }),
                T0 + 1,
            );
            expect(sectionsOf(noFix, A)).to.not.include('position');
            expect(m.node(A)?.position?.latitude).to.equal(52.52);
        });

        it('telemetry merges only the metrics present and flags only that variant', () => {
            const m = meshModel();
            m.ingest(decoded({ from: A, id: 1, payload: telemetry('device', { batteryLevel: 90, voltage: 4.1 }) }), T0);
            const second = m.ingest(
                decoded({ from: A, id: 2, payload: telemetry('device', { voltage: 4.0, uptimeSeconds: 100 }) }),
                T0 + 1,
            );
            expect(sectionsOf(second, A)).to.deep.equal(['status', 'telemetry.device']);
            expect(m.node(A)?.telemetry.device).to.deep.equal({ batteryLevel: 90, voltage: 4.0, uptimeSeconds: 100 });
            const env = m.ingest(
                decoded({ from: A, id: 3, payload: telemetry('environment', { temperature: 21.5 }) }),
                T0 + 2,
            );
            expect(sectionsOf(env, A)).to.deep.equal(['status', 'telemetry.environment']);
            const same = m.ingest(
                decoded({ from: A, id: 4, payload: telemetry('environment', { temperature: 21.5 }) }),
                T0 + 3,
            );
            expect(sectionsOf(same, A)).to.deep.equal(['status']);
            const odd = m.ingest(
                decoded({ from: A, id: 5, payload: telemetry('power', { ch1Voltage: Number.NaN, __proto__x: 1 }) }),
                T0 + 4,
            );
            expect(sectionsOf(odd, A)).to.deep.equal(['status']);
            expect(m.node(A)?.telemetry.power).to.equal(undefined);
        });

        it('neighborinfo stores neighbours with !hex ids', () => {
            const m = meshModel();
            const events = m.ingest(
                decoded({ from: A, to: 1, payload: neighborinfo(A, [{ nodeId: B, snr: 6.25 }]) }),
                T0,
            );
            expect(sectionsOf(events, A)).to.include('neighbors');
            expect(m.node(A)?.neighbors).to.deep.equal([{ nodeId: B, id: '!22222222', snr: 6.25 }]);
        });

        it('a map report fills info, position and MQTT presence', () => {
            const m = meshModel();
            const events = m.ingest(mapReportPacket(GW1), T0);
            expect(sectionsOf(events, GW1)).to.deep.equal(['info', 'position', 'radio', 'status']);
            const node = m.node(GW1)!;
            expect(node.user).to.deep.include({
                longName: 'Gateway Roof',
                shortName: 'GWR',
                role: 'CLIENT_MUTE',
                hwModel: 'RAK4631',
            });
            expect(node).to.include({
                firmware: '2.7.15.567b8ea',
                region: 'EU_868',
                modemPreset: 'LONG_FAST',
                numOnlineLocalNodes: 23,
                presence: 'mqtt',
            });
            expect(node.position).to.deep.equal({
                latitude: 48.1,
                longitude: 11.6,
                altitude: 520,
                precisionBits: 14,
                accuracyMeters: 1459,
            });
            // Map reports (id 0) are never deduped.
            m.ingest(mapReportPacket(GW1, { numOnlineLocalNodes: 24 }), T0 + 1);
            expect(m.node(GW1)?.numOnlineLocalNodes).to.equal(24);
            expect(m.stats().duplicates).to.equal(0);
        });

        it('a map report keeps the public key learnt from nodeinfo', () => {
            const m = meshModel();
            const key = new Uint8Array(32).fill(1);
            m.ingest(decoded({ from: GW1, gateway: gw(GW1), payload: nodeinfo({ publicKey: key }) }), T0);
            m.ingest(mapReportPacket(GW1), T0 + 1);
            expect(m.node(GW1)?.user?.publicKey).to.equal(Buffer.from(key).toString('base64'));
            expect(m.node(GW1)?.user?.longName).to.equal('Gateway Roof');
        });

        it('precision radius follows the spec table', () => {
            expect(precisionRadiusMeters(32)).to.equal(0);
            expect(precisionRadiusMeters(14)).to.equal(1459);
            expect(precisionRadiusMeters(13)).to.equal(2918);
        });
    });
});
