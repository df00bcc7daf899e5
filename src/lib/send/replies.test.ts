import { fromBinary } from '@bufbuild/protobuf';
import { Mesh } from '@meshtastic/protobufs';
import { expect } from 'chai';
import { channelData, open, PEER, ROOT, US, useMessengerHarness } from './messenger-harness.test';

describe('send/replies', () => {
    const h = useMessengerHarness();

    it('ACKs a channel DM to us that wants one, once per packet, on the channel it came on', async () => {
        const m = h.messenger();
        const dm = h.incoming({
            from: PEER,
            to: US,
            id: 0xcafe0001,
            header: { wantAck: true },
            data: { portnum: 1, payload: Buffer.from('hi') },
            channelName: 'LongFast',
        });
        m.onPacket(dm);
        m.onPacket({ ...dm, gatewayId: '!0b0b0b0b' }); // the same DM through a second gateway
        await h.clock.tickAsync(0);
        expect(h.transport.published).to.have.length(1);
        const d = open(h.transport.published[0]);
        expect(d.topic).to.equal(`${ROOT}/2/e/LongFast/!1e0b0001`);
        expect(d.packet.to).to.equal(PEER);
        expect(d.packet.from).to.equal(US);
        expect(d.packet.wantAck).to.equal(false);
        expect(d.packet.id).to.not.equal(0xcafe0001);
        const data = channelData(d);
        expect(data.portnum).to.equal(5);
        expect(data.requestId).to.equal(0xcafe0001);
        expect(Buffer.from(data.payload).toString('hex')).to.equal('1800');
        const routing = fromBinary(Mesh.RoutingSchema, data.payload);
        expect(routing.variant).to.deep.equal({ case: 'errorReason', value: 0 });
        expect(h.statuses).to.have.length(0); // replies are not user sends

        // a retransmission later is ACKed again
        await h.clock.tickAsync(10_000);
        m.onPacket(dm);
        await h.clock.tickAsync(0);
        expect(h.transport.published).to.have.length(2);
    });

    it('ACKs a PKI DM to us on the first downlink channel (ROUTING is never PKI, like firmware)', async () => {
        const m = h.messenger();
        m.onPacket(
            h.incoming({
                from: PEER,
                to: US,
                id: 0xcafe0002,
                encryption: 'pki',
                channelName: 'PKI',
                channelId: 'PKI',
                header: { wantAck: true, pkiEncrypted: true },
                data: { portnum: 1, payload: Buffer.from('hi') },
            }),
        );
        await h.clock.tickAsync(0);
        const d = open(h.transport.published[0]);
        expect(d.topic).to.equal(`${ROOT}/2/e/LongFast/!1e0b0001`);
        expect(d.packet.to).to.equal(PEER);
        expect(d.packet.wantAck).to.equal(false);
        const data = channelData(d);
        expect(data.portnum).to.equal(5);
        expect(data.requestId).to.equal(0xcafe0002);
    });

    it('does not ACK broadcasts, packets without want_ack, or our own echo', async () => {
        const m = h.messenger();
        m.onPacket(h.incoming({ from: PEER, to: 0xffffffff, header: { wantAck: true } }));
        m.onPacket(h.incoming({ from: PEER, to: US, header: { wantAck: false } }));
        m.onPacket(h.incoming({ from: US, to: US, header: { wantAck: true } }));
        m.onPacket(h.incoming({ from: PEER, to: US, gateway: '!1e0b0001', header: { wantAck: true } }));
        await h.clock.tickAsync(1000);
        expect(h.transport.published).to.have.length(0);
    });

    it('answers a NodeInfo request to us with our NodeInfo, at most every 10 min per node', async () => {
        const m = h.messenger();
        const request = h.incoming({
            from: PEER,
            to: US,
            channelName: 'LongFast',
            data: { portnum: 4, wantResponse: true, bitfield: 3 },
        });
        m.onPacket(request);
        await h.clock.tickAsync(0);
        m.onPacket(request);
        await h.clock.tickAsync(9 * 60_000);
        m.onPacket(request);
        await h.clock.tickAsync(0);
        expect(h.transport.published).to.have.length(1);
        const d = open(h.transport.published[0]);
        expect(d.packet.to).to.equal(PEER);
        const data = channelData(d);
        expect(data.portnum).to.equal(4);
        expect(data.wantResponse).to.equal(false);
        const user = fromBinary(Mesh.UserSchema, data.payload);
        expect(user.id).to.equal('!1e0b0001');
        expect(Buffer.from(user.publicKey)).to.deep.equal(Buffer.from(h.identity.publicKey));
        await h.clock.tickAsync(60_000);
        m.onPacket(request);
        await h.clock.tickAsync(0);
        expect(h.transport.published).to.have.length(2);
        // a NodeInfo broadcast with want_response is not addressed to us: no reply
        m.onPacket(h.incoming({ from: 0x55555555, to: 0xffffffff, data: { portnum: 4, wantResponse: true } }));
        await h.clock.tickAsync(0);
        expect(h.transport.published).to.have.length(2);
    });
});
