import { expect } from 'chai';
import { eventsOfType, gw, meshModel, nodeEvent, opaque, T0 } from '../../test-support/mesh-fixtures';
import { MAX_UNKNOWN_CHANNELS } from './channels';

const A = 0x11111111;
const B = 0x22222222;
const GW1 = 0x0a0a0a0a;
const GW2 = 0x0b0b0b0b;

describe('mesh: channel registries (through the model)', () => {
    describe('opaque packets', () => {
        it('updates the sender and gateway and records an unknown channel, logged once', () => {
            const m = meshModel();
            const first = m.ingestOpaque(
                opaque({
                    from: A,
                    id: 1,
                    channelId: 'Secret',
                    gateway: gw(GW1),
                    header: { channel: 0x2f, rxSnr: 3, rxRssi: -90 },
                }),
                T0,
            );
            const [u1] = eventsOfType(first, 'unknownChannel');
            expect(u1.firstSeen).to.equal(true);
            expect(u1.record).to.deep.equal({
                channelId: 'Secret',
                channelHash: 0x2f,
                packets: 1,
                lastGateway: gw(GW1),
                lastSeen: T0,
            });
            expect(nodeEvent(first, A)?.node.radio).to.deep.include({ snr: 3, rssi: -90 });
            expect(nodeEvent(first, GW1)?.node.presence).to.equal('mqtt');

            const second = m.ingestOpaque(
                opaque({ from: B, id: 1, channelId: 'Secret', header: { channel: 0x2f } }),
                T0 + 1,
            );
            const [u2] = eventsOfType(second, 'unknownChannel');
            expect(u2.firstSeen).to.equal(false);
            expect(u2.record.packets).to.equal(2);

            // The same packet through another gateway: a duplicate, not another unknown-channel packet.
            const dup = m.ingestOpaque(
                opaque({ from: B, id: 1, channelId: 'Secret', gateway: gw(GW2), header: { channel: 0x2f } }),
                T0 + 2,
            );
            expect(eventsOfType(dup, 'unknownChannel')).to.have.length(0);

            m.ingestOpaque(opaque({ from: B, id: 2, channelId: 'Secret', header: { channel: 0x30 } }), T0 + 3);
            expect(m.stats()).to.include({
                received: 4,
                undecryptable: 4,
                duplicates: 1,
                unknownChannels: 2,
                decoded: 0,
            });
            expect(m.unknownChannels().map(u => u.channelHash)).to.deep.equal([0x2f, 0x30]);
        });

        it('PKI packets update the sender without recording a channel', () => {
            const m = meshModel();
            const events = m.ingestOpaque(opaque({ from: A, to: B, channelId: 'PKI', reason: 'pki' }), T0);
            expect(eventsOfType(events, 'unknownChannel')).to.have.length(0);
            expect(m.node(A)).to.include({ packets: 1, lastHeard: T0 });
            expect(m.node(B)).to.equal(undefined);
            expect(m.stats()).to.include({ undecryptable: 1, unknownChannels: 0 });
        });

        it('bounds the unknown-channel map', () => {
            const m = meshModel();
            for (let i = 0; i < 600; i++) {
                m.ingestOpaque(
                    opaque({ from: A, id: i + 1, channelId: `c${i}`, header: { channel: i & 0xff } }),
                    T0 + i,
                );
            }
            expect(m.unknownChannels()).to.have.length(MAX_UNKNOWN_CHANNELS);
            expect(m.stats().unknownChannels).to.equal(MAX_UNKNOWN_CHANNELS);
        });
    });
});
