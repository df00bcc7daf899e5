import { fromBinary } from '@bufbuild/protobuf';
import { Mesh } from '@meshtastic/protobufs';
import { expect } from 'chai';
import { channelData, ctr, HOP_LIMIT, open, ROOT, SECRET_KEY, US, useMessengerHarness } from './messenger-harness.test';

describe('send/announcer', () => {
    const h = useMessengerHarness();

    it('announce: NodeInfo broadcast on each downlink channel, at most once per hour', async () => {
        h.channels[1] = { ...h.channels[1], downlink: true };
        const m = h.messenger();
        expect(m.announce()).to.deep.equal({ queued: 2 });
        expect(m.announce().queued).to.equal(0); // still queued
        await h.clock.tickAsync(0);
        expect(h.transport.topics()).to.deep.equal([`${ROOT}/2/e/LongFast/!1e0b0001`, `${ROOT}/2/e/Secret/!1e0b0001`]);
        const d = open(h.transport.published[0]);
        expect(d.packet.to).to.equal(0xffffffff);
        expect(d.packet.hopLimit).to.equal(HOP_LIMIT);
        const data = channelData(d);
        expect(data.portnum).to.equal(4);
        expect(data.bitfield).to.equal(1);
        const user = fromBinary(Mesh.UserSchema, data.payload);
        expect(user).to.deep.include({ id: '!1e0b0001', longName: 'ioBroker', shortName: 'IOB', hwModel: 255 });
        expect(Buffer.from(user.publicKey)).to.deep.equal(Buffer.from(h.identity.publicKey));
        expect(
            fromBinary(
                Mesh.DataSchema,
                ctr(SECRET_KEY, open(h.transport.published[1]).packet.id, US, open(h.transport.published[1]).encrypted),
            ).portnum,
        ).to.equal(4);

        await h.clock.tickAsync(59 * 60_000);
        expect(m.announce()).to.deep.include({ queued: 0 });
        await h.clock.tickAsync(60_000);
        expect(m.announce(true).queued).to.equal(2);
        await h.clock.tickAsync(0);
        expect(channelData(open(h.transport.published[2])).bitfield).to.equal(3);
        expect(h.transport.published).to.have.length(4);
    });

    it('announce retries after a failed attempt (the hour counts from an announcement that went out)', async () => {
        h.transport.connected = false;
        const m = h.messenger({ disconnectedWaitMs: 60_000 });
        expect(m.announce().queued).to.equal(1);
        await h.clock.tickAsync(60_000);
        h.transport.connected = true;
        expect(m.announce().queued).to.equal(1);
        await h.clock.tickAsync(0);
        expect(h.transport.published).to.have.length(1);
    });

    it('after every (re)connection, but at most once in 10 min: a flapping broker does not flood the mesh', async () => {
        const m = h.messenger();
        expect(m.announceAfterConnect()).to.deep.equal({ queued: 1 }); // the first connection
        await h.clock.tickAsync(0);
        for (let flap = 1; flap < 20; flap++) {
            await h.clock.tickAsync(30_000); // the broker comes back every 30 s
            expect(m.announceAfterConnect(), `reconnect ${flap}`).to.deep.equal({
                queued: 0,
                skipped: 'announced less than 10 min ago',
            });
        }
        await h.clock.tickAsync(30_000); // 10 min after the first announcement
        expect(m.announceAfterConnect()).to.deep.equal({ queued: 1 });
        await h.clock.tickAsync(0);
        expect(h.transport.published).to.have.length(2);
        expect(channelData(open(h.transport.published[1])).portnum).to.equal(4);

        // the periodic announcement keeps its hour, counted from the last one of either kind
        await h.clock.tickAsync(59 * 60_000);
        expect(m.announce()).to.deep.include({ queued: 0, skipped: 'announced less than 1 h ago' });
        await h.clock.tickAsync(60_000);
        expect(m.announce().queued).to.equal(1);
        // ... and a reconnection right after it waits its 10 min again
        expect(m.announceAfterConnect().queued).to.equal(0);
        await h.clock.tickAsync(0);
        expect(h.transport.published).to.have.length(3);
    });

    it('a reconnection announcement that never went out does not count (the next reconnection announces)', async () => {
        h.transport.connected = false;
        const m = h.messenger({ disconnectedWaitMs: 60_000 });
        expect(m.announceAfterConnect().queued).to.equal(1);
        await h.clock.tickAsync(60_000); // lost again before it went out
        h.transport.connected = true;
        expect(m.announceAfterConnect().queued).to.equal(1);
        await h.clock.tickAsync(0);
        expect(h.transport.published).to.have.length(1);
    });

    it('an hourly schedule with paced packets still announces every hour (the hour counts from the request)', async () => {
        h.channels[1] = { ...h.channels[1], downlink: true };
        const m = h.messenger({ sendSpacingMs: 5000 });
        expect(m.announce().queued).to.equal(2);
        await h.clock.tickAsync(5000); // the second channel's packet goes out 5 s later
        expect(h.transport.published).to.have.length(2);
        await h.clock.tickAsync(60 * 60_000 - 5000);
        expect(m.announce().queued).to.equal(2);
    });

    it('stopped: nothing is announced', () => {
        const m = h.messenger();
        m.stop();
        expect(m.announceAfterConnect()).to.deep.equal({ queued: 0, skipped: 'adapter stopping' });
    });
});
