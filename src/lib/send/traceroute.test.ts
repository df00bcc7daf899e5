import { fromBinary } from '@bufbuild/protobuf';
import { Mesh } from '@meshtastic/protobufs';
import { expect } from 'chai';
import { PortNum } from '../codec';
import type { DecodedPacket, MeshPayload } from '../codec/types';
import { channelData, HOP_LIMIT, open, PEER, ROOT, US, useMessengerHarness } from './messenger-harness.test';
import { MAX_TRACEROUTES_PER_HOUR, TRACEROUTE_TIMEOUT_MS } from './traceroute';

const RELAY = 0x55667788;

const ROUTE = { route: [RELAY], snrTowards: [6.25, -3], routeBack: [RELAY], snrBack: [2, 4.5] };

function routePayload(): MeshPayload {
    return { type: 'traceroute', traceroute: ROUTE };
}

describe('send/traceroute', () => {
    const h = useMessengerHarness();

    function reply(requestId: number, overrides: { to?: number; portnum?: number } = {}): DecodedPacket {
        return h.incoming({
            from: PEER,
            to: overrides.to ?? US,
            id: 0x0badcafe,
            data: { portnum: overrides.portnum ?? PortNum.TRACEROUTE_APP, requestId },
            payload: routePayload(),
        });
    }

    it('sends a TRACEROUTE_APP request under the downlink rules and answers with the reply route', async () => {
        const m = h.messenger();
        let sent = 0;
        const pending = m.traceroute('!22334455', () => sent++);
        await h.clock.tickAsync(0);
        expect(h.transport.published).to.have.length(1);
        expect(sent).to.equal(1);

        const d = open(h.transport.published[0]);
        expect(d.topic).to.equal(`${ROOT}/2/e/LongFast/!1e0b0001`);
        expect(d.envelope.gatewayId).to.equal('!1e0b0001');
        expect(d.packet.from).to.equal(US);
        expect(d.packet.to).to.equal(PEER);
        expect(d.packet.channel).to.equal(8); // channel key (firmware never sends traceroutes as PKI)
        expect(d.packet.pkiEncrypted).to.equal(false);
        expect(d.packet.hopLimit).to.equal(HOP_LIMIT);
        expect(d.packet.hopStart).to.equal(HOP_LIMIT);
        expect(d.packet.wantAck).to.equal(false);
        expect(d.packet.id).to.not.equal(0);
        const data = channelData(d);
        expect(data.portnum).to.equal(PortNum.TRACEROUTE_APP);
        expect(data.wantResponse).to.equal(true);
        expect(data.bitfield).to.equal(3); // OK_TO_MQTT | WANT_RESPONSE
        const discovery = fromBinary(Mesh.RouteDiscoverySchema, data.payload);
        expect(discovery.route).to.deep.equal([]);

        m.onPacket(reply(d.packet.id + 1)); // another request's reply
        m.onPacket(reply(d.packet.id, { to: 0x01020304 })); // to someone else
        await h.clock.tickAsync(1000);
        m.onPacket(reply(d.packet.id));
        const result = await pending;
        expect(result).to.deep.equal({
            status: 'ok',
            id: d.packet.id,
            to: '!22334455',
            route: ROUTE,
        });
    });

    it('fails after the timeout without a reply, and a late reply changes nothing', async () => {
        const m = h.messenger();
        const pending = m.traceroute(PEER);
        await h.clock.tickAsync(TRACEROUTE_TIMEOUT_MS - 1);
        let settled = false;
        void pending.then(() => (settled = true));
        await h.clock.tickAsync(0);
        expect(settled).to.equal(false);
        await h.clock.tickAsync(1);
        const result = await pending;
        expect(result).to.include({ status: 'failed', to: '!22334455' });
        expect(result.status === 'failed' && result.error).to.equal('no traceroute reply from !22334455 within 60 s');
        m.onPacket(reply(open(h.transport.published[0]).packet.id)); // ignored, nothing throws
    });

    it('refuses invalid destinations without publishing anything', async () => {
        const m = h.messenger();
        for (const to of [undefined, 'broadcast', '!ffffffff', '!1e0b0001', 'nonsense', 2]) {
            const result = await m.traceroute(to);
            expect(result.status, String(to)).to.equal('failed');
        }
        await h.clock.tickAsync(0);
        expect(h.transport.published).to.have.length(0);
        const noDownlink = h.messenger({ channels: h.channels.map(c => ({ ...c, downlink: false })) });
        expect(await noDownlink.traceroute(PEER)).to.include({ error: 'no channel has downlink enabled' });
    });

    it(`allows ${MAX_TRACEROUTES_PER_HOUR} requests per hour, then refuses with a clear error, reported once each`, async () => {
        const refused: string[] = [];
        const m = h.messenger({ onTracerouteBound: error => refused.push(error) });
        const pending = [];
        for (let i = 0; i < MAX_TRACEROUTES_PER_HOUR; i++) {
            pending.push(m.traceroute(PEER));
            await h.clock.tickAsync(60_000); // each one times out
        }
        const over = await m.traceroute(PEER);
        expect(over).to.include({ status: 'failed', id: 0 });
        expect(over.status === 'failed' && over.error).to.equal(
            'traceroute limit reached (at most 10 per hour, they cost airtime)',
        );
        expect(refused).to.have.length(1);
        expect(h.transport.published).to.have.length(MAX_TRACEROUTES_PER_HOUR);
        await Promise.all(pending);
        // an hour after the first request, one is allowed again
        await h.clock.tickAsync(60 * 60_000 - MAX_TRACEROUTES_PER_HOUR * 60_000);
        const again = m.traceroute(PEER);
        await h.clock.tickAsync(0);
        expect(h.transport.published).to.have.length(MAX_TRACEROUTES_PER_HOUR + 1);
        m.stop();
        expect(await again).to.include({ status: 'failed', error: 'adapter stopping' });
    });

    it('honours a configured bound, and a request that never reached the queue does not count', async () => {
        const m = h.messenger({ maxTraceroutesPerHour: 1 });
        expect((await m.traceroute('garbage')).status).to.equal('failed');
        void m.traceroute(PEER);
        expect(await m.traceroute(PEER)).to.include({ status: 'failed' });
        await h.clock.tickAsync(0);
        expect(h.transport.published).to.have.length(1);
        m.stop();
        expect(await m.traceroute(PEER)).to.include({ error: 'adapter stopping' });
    });
});
