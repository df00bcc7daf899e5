import { expect } from 'chai';
import fc from 'fast-check';
import { MAX_GATEWAYS_PER_PACKET, PacketDeduplicator, type Reception } from './dedup';

const T = 1_000_000;

function rx(overrides: Partial<Reception> = {}): Reception {
    return { from: 0x11111111, id: 42, gatewayId: '!0a0a0a0a', viaMqtt: false, rxSnr: 0, rxRssi: 0, ...overrides };
}

describe('mesh: PacketDeduplicator', () => {
    it('counts distinct gateways of one packet and flags repeats as duplicates', () => {
        const d = new PacketDeduplicator(60_000);
        const first = d.observe(rx({ gatewayId: '!0000000a' }), T);
        expect(first.duplicate).to.equal(false);
        expect(first.entry.gatewayCount).to.equal(1);
        expect(first.entry.firstGateway).to.equal('!0000000a');

        const second = d.observe(rx({ gatewayId: '!0000000B' }), T + 100);
        expect(second.duplicate).to.equal(true);
        expect(second.changed).to.equal(true);
        expect(second.entry.gatewayCount).to.equal(2);

        // The same gateway again (a rebroadcast it heard): duplicate, but the count does not change.
        const third = d.observe(rx({ gatewayId: '!0000000b' }), T + 200);
        expect(third.duplicate).to.equal(true);
        expect(third.changed).to.equal(false);
        expect(third.entry.gatewayCount).to.equal(2);
        expect(third.entry.receptions).to.equal(3);
        expect(third.entry.gateways).to.deep.equal(['!0000000a', '!0000000b']);
        expect(third.entry.firstGateway).to.equal('!0000000a');
    });

    it('keys by (from, id): same id from another node is a different packet', () => {
        const d = new PacketDeduplicator(60_000);
        d.observe(rx({ from: 1000 }), T);
        expect(d.observe(rx({ from: 1001 }), T).duplicate).to.equal(false);
        expect(d.observe(rx({ from: 1000, id: 43 }), T).duplicate).to.equal(false);
        expect(d.size).to.equal(3);
    });

    it('tells every (from, id) pair apart, over the whole 32-bit range of both (property)', () => {
        // pairs that differ only in one 16-bit half, or swap halves between from and id
        const tricky: [number, number][] = [
            [0x00010000, 1],
            [0x00000001, 1],
            [1, 0x00010000],
            [0x10000, 0x10001],
            [0x10001, 0x10000],
            [0xffffffff, 0xffff0000],
            [0xffff0000, 0xffffffff],
            [0x0000ffff, 0xffffffff],
        ];
        const seen = new PacketDeduplicator(60_000);
        for (const [from, id] of tricky) {
            expect(seen.observe(rx({ from, id }), T).duplicate, `${from}:${id}`).to.equal(false);
        }
        expect(seen.size).to.equal(tricky.length);
        fc.assert(
            fc.property(
                fc.uniqueArray(
                    fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 0xffffffff })),
                    {
                        minLength: 2,
                        maxLength: 60,
                        selector: ([from, id]) => `${from}:${id}`,
                    },
                ),
                pairs => {
                    const d = new PacketDeduplicator(60_000);
                    for (const [from, id] of pairs) {
                        expect(d.observe(rx({ from, id }), T).duplicate, `${from}:${id} first`).to.equal(false);
                    }
                    for (const [from, id] of pairs) {
                        const again = d.observe(rx({ from, id, gatewayId: '!0b0b0b0b' }), T + 1);
                        expect(again.duplicate, `${from}:${id} again`).to.equal(true);
                        expect([again.entry.from, again.entry.id]).to.deep.equal([from, id]);
                    }
                    expect(d.size).to.equal(pairs.length);
                },
            ),
            { numRuns: 300 },
        );
    });

    it('shares the one-gateway list between entries but never lets one entry change another', () => {
        const d = new PacketDeduplicator(60_000);
        const a = d.observe(rx({ id: 1, gatewayId: '!0000000a' }), T).entry;
        const b = d.observe(rx({ id: 2, gatewayId: '!0000000a' }), T).entry;
        d.observe(rx({ id: 1, gatewayId: '!0000000b' }), T + 1);
        expect(a.gateways).to.deep.equal(['!0000000a', '!0000000b']);
        expect(b.gateways).to.deep.equal(['!0000000a']);
        expect(d.observe(rx({ id: 3, gatewayId: '!0000000a' }), T + 2).entry.gateways).to.deep.equal(['!0000000a']);
    });

    it('takes SNR/RSSI from the first RF reception, not from MQTT-delivered or zero-metric ones', () => {
        const d = new PacketDeduplicator(60_000);
        const viaMqtt = d.observe(rx({ gatewayId: '!00000001', viaMqtt: true, rxSnr: 9, rxRssi: -50 }), T);
        expect(viaMqtt.entry.rxSnr).to.equal(undefined);
        expect(viaMqtt.entry.viaMqtt).to.equal(true);
        // Own uplink of a gateway: no metrics (0/0).
        d.observe(rx({ gatewayId: '!00000002' }), T + 1);
        expect(d.observe(rx({ gatewayId: '!00000002' }), T + 1).entry.rxSnr).to.equal(undefined);
        const rf = d.observe(rx({ gatewayId: '!00000003', rxSnr: -7.25, rxRssi: -118 }), T + 2);
        expect(rf.changed).to.equal(true);
        expect(rf.entry).to.include({ rxSnr: -7.25, rxRssi: -118, rfGateway: '!00000003', viaMqtt: false });
        const later = d.observe(rx({ gatewayId: '!00000004', rxSnr: 5, rxRssi: -90 }), T + 3);
        expect(later.entry).to.include({ rxSnr: -7.25, rxRssi: -118 });
    });

    it('keeps the fewest hops of all receptions', () => {
        const d = new PacketDeduplicator(60_000);
        d.observe(rx({ gatewayId: '!00000001', hopsAway: 3 }), T);
        d.observe(rx({ gatewayId: '!00000002' }), T);
        const r = d.observe(rx({ gatewayId: '!00000003', hopsAway: 1 }), T);
        expect(r.entry.hopsAway).to.equal(1);
        expect(d.observe(rx({ gatewayId: '!00000004', hopsAway: 2 }), T).entry.hopsAway).to.equal(1);
    });

    it('forgets packets after the window', () => {
        const d = new PacketDeduplicator(60_000);
        d.observe(rx(), T);
        expect(d.observe(rx({ gatewayId: '!0000000b' }), T + 59_999).duplicate).to.equal(true);
        const again = d.observe(rx({ gatewayId: '!0000000c' }), T + 60_000);
        expect(again.duplicate).to.equal(false);
        expect(again.entry.gatewayCount).to.equal(1);
    });

    it('sweeps expired entries from the front as time passes', () => {
        const d = new PacketDeduplicator(1_000);
        for (let i = 1; i <= 100; i++) {
            d.observe(rx({ id: i }), T + i);
        }
        expect(d.size).to.equal(100);
        d.observe(rx({ id: 1000 }), T + 1_050); // ids 1..50 expired
        expect(d.size).to.equal(51);
        expect(d.sweep(T + 10_000)).to.equal(51);
        expect(d.size).to.equal(0);
    });

    it('is bounded by maxEntries, evicting the oldest', () => {
        const d = new PacketDeduplicator(3_600_000, 10);
        for (let i = 1; i <= 25; i++) {
            d.observe(rx({ id: i }), T + i);
        }
        expect(d.size).to.equal(10);
        // id 1 was evicted: seen again it is new; id 25 is still known.
        expect(d.observe(rx({ id: 25, gatewayId: '!0000000b' }), T + 30).duplicate).to.equal(true);
        expect(d.observe(rx({ id: 1, gatewayId: '!0000000b' }), T + 31).duplicate).to.equal(false);
        expect(d.size).to.equal(10);
    });

    it('never dedupes id 0 (map reports) and does not store them', () => {
        const d = new PacketDeduplicator(60_000);
        expect(d.observe(rx({ id: 0 }), T).duplicate).to.equal(false);
        expect(d.observe(rx({ id: 0 }), T).duplicate).to.equal(false);
        expect(d.size).to.equal(0);
    });

    it('bounds the remembered gateway list but keeps counting', () => {
        const d = new PacketDeduplicator(60_000);
        let last = d.observe(rx({ gatewayId: '!00000000' }), T);
        for (let g = 1; g < 40; g++) {
            last = d.observe(rx({ gatewayId: `!${g.toString(16).padStart(8, '0')}` }), T);
        }
        expect(last.entry.gateways).to.have.length(MAX_GATEWAYS_PER_PACKET);
        expect(last.entry.gatewayCount).to.equal(40);
    });

    it('a window of 0 disables dedup', () => {
        const d = new PacketDeduplicator(0);
        d.observe(rx(), T);
        expect(d.observe(rx(), T).duplicate).to.equal(false);
        expect(d.size).to.equal(0);
    });

    it('handles time going backwards without losing the bound', () => {
        const d = new PacketDeduplicator(1_000, 5);
        for (let i = 0; i < 50; i++) {
            d.observe(rx({ id: i + 1 }), T + (i % 2 === 0 ? 5_000 : -5_000) + i);
        }
        expect(d.size).to.be.at.most(5);
    });
});
