import { fromBinary } from '@bufbuild/protobuf';
import { Mesh, Mqtt } from '@meshtastic/protobufs';
import { expect } from 'chai';
import {
    ALLOWED,
    channelData,
    HOP_LIMIT,
    OLD_PEER,
    open,
    PEER,
    pkiDecrypt,
    pkiEncrypt,
    ROOT,
    routingPayload,
    SECRET_KEY,
    US,
    useMessengerHarness,
    x25519PrivateObject,
} from './messenger-harness.test';

describe('send/messenger', () => {
    const h = useMessengerHarness();

    describe('channel broadcast', () => {
        it('follows every downlink rule and decrypts independently to the text', async () => {
            const m = h.messenger();
            const pending = m.send({ text: 'Hallo Mesh 👋' });
            await h.clock.tickAsync(0);
            const result = await pending;
            expect(result.status).to.equal('sent');
            expect(h.transport.published).to.have.length(1);

            const d = open(h.transport.published[0]);
            expect(d.topic).to.equal(`${ROOT}/2/e/LongFast/!1e0b0001`);
            expect(d.envelope.channelId).to.equal('LongFast');
            expect(d.envelope.gatewayId).to.equal('!1e0b0001');
            expect(d.packet.from).to.equal(US);
            expect(d.packet.to).to.equal(0xffffffff);
            expect(d.packet.channel).to.equal(8); // LongFast + AQ==
            expect(d.packet.hopLimit).to.equal(HOP_LIMIT);
            expect(d.packet.hopStart).to.equal(HOP_LIMIT);
            expect(d.packet.wantAck).to.equal(false);
            expect(d.packet.viaMqtt).to.equal(false);
            expect(d.packet.id).to.not.equal(0);
            expect(d.packet.id).to.equal(result.id);

            const data = channelData(d);
            expect(data.portnum).to.equal(1);
            expect(data.bitfield).to.equal(1);
            expect(data.wantResponse).to.equal(false);
            expect(Buffer.from(data.payload).toString('utf8')).to.equal('Hallo Mesh 👋');

            expect(h.statuses.map(s => s.status)).to.deep.equal(['queued', 'sent']);
            expect(h.statuses[1]).to.deep.include({
                id: result.id,
                to: 'broadcast',
                channel: 'LongFast',
                text: 'Hallo Mesh 👋',
            });
        });

        it('uses a fresh random id per packet', async () => {
            const m = h.messenger();
            const results = await Promise.all([m.send({ text: 'a' }), m.send({ text: 'b' }), h.clock.tickAsync(0)]);
            expect(results[0].id).to.not.equal(results[1].id);
            const ids = h.transport.published.map(p => open(p).packet.id);
            expect(new Set(ids).size).to.equal(2);
        });

        it('sends on an explicitly named channel (with its own key and hash), even without downlink', async () => {
            const m = h.messenger();
            const pending = m.send({ text: 'psst', channel: 'secret' }); // case-insensitive when unique
            await h.clock.tickAsync(0);
            expect((await pending).status).to.equal('sent');
            const d = open(h.transport.published[0]);
            expect(d.topic).to.equal(`${ROOT}/2/e/Secret/!1e0b0001`);
            expect(d.envelope.channelId).to.equal('Secret');
            expect(d.packet.channel).to.equal(h.channels[1].hash);
            expect(Buffer.from(channelData(d, SECRET_KEY).payload).toString()).to.equal('psst');
        });

        it('a channel without key carries the Data unencrypted', async () => {
            const m = h.messenger();
            const pending = m.send({ text: 'open', channel: 'Open' });
            await h.clock.tickAsync(0);
            await pending;
            const envelope = fromBinary(Mqtt.ServiceEnvelopeSchema, h.transport.published[0].payload);
            const variant = envelope.packet?.payloadVariant;
            const data =
                variant?.case === 'decoded'
                    ? variant.value
                    : variant?.case === 'encrypted'
                      ? fromBinary(Mesh.DataSchema, variant.value)
                      : undefined;
            expect(envelope.channelId).to.equal('Open');
            expect(Buffer.from(data?.payload ?? []).toString()).to.equal('open');
        });

        it('passes replyId and emoji', async () => {
            const m = h.messenger();
            const pending = m.send({ text: '👍', replyId: 0x01020304, emoji: true });
            await h.clock.tickAsync(0);
            await pending;
            const data = channelData(open(h.transport.published[0]));
            expect(data.replyId).to.equal(0x01020304);
            expect(data.emoji).to.equal(1);
        });

        it('splits a long text into paced parts; the result carries the first id', async () => {
            const m = h.messenger({ sendSpacingMs: 2000 });
            const text = `${'word '.repeat(90)}end`; // 453 bytes → 3 parts
            const pending = m.send({ text });
            await h.clock.tickAsync(0);
            expect(h.transport.published).to.have.length(1);
            await h.clock.tickAsync(4000);
            const result = await pending;
            expect(result).to.deep.include({ status: 'sent', parts: 3 });
            const packets = h.transport.published.map(open);
            expect(packets.map(p => p.packet.id)[0]).to.equal(result.id);
            expect(h.transport.published.map(p => p.time - h.transport.published[0].time)).to.deep.equal([
                0, 2000, 4000,
            ]);
            const texts = packets.map(p => Buffer.from(channelData(p).payload).toString('utf8'));
            expect(texts.join('')).to.equal(text);
            expect(texts.every(t => Buffer.byteLength(t) <= 200)).to.equal(true);
        });
    });

    describe('direct messages', () => {
        it('PKI DM: topic PKI, channel 0, want_ack, decryptable with the recipient private key; ACK → acked', async () => {
            const m = h.messenger();
            const pending = m.send({ text: 'secret hello', to: '!22334455' });
            await h.clock.tickAsync(0);
            expect(h.transport.published).to.have.length(1);
            const d = open(h.transport.published[0]);
            expect(d.topic).to.equal(`${ROOT}/2/e/PKI/!1e0b0001`);
            expect(d.envelope.channelId).to.equal('PKI');
            expect(d.envelope.gatewayId).to.equal('!1e0b0001');
            expect(d.packet.channel).to.equal(0);
            expect(d.packet.from).to.equal(US);
            expect(d.packet.to).to.equal(PEER);
            expect(d.packet.wantAck).to.equal(true);
            expect(d.packet.hopLimit).to.equal(HOP_LIMIT);
            expect(d.packet.hopStart).to.equal(HOP_LIMIT);
            const plain = pkiDecrypt(h.peer.privateObject, h.identity.publicKey, d.packet.id, US, d.encrypted);
            const data = fromBinary(Mesh.DataSchema, plain);
            expect(data.portnum).to.equal(1);
            expect(data.bitfield).to.equal(1);
            expect(Buffer.from(data.payload).toString()).to.equal('secret hello');
            expect(h.statuses.map(s => s.status)).to.deep.equal(['queued', 'sent']);
            expect(h.statuses[1]).to.deep.include({ to: '!22334455', channel: 'PKI' });

            m.onPacket(
                h.incoming({
                    from: PEER,
                    to: US,
                    data: { portnum: 5, requestId: d.packet.id },
                    payload: routingPayload(0, 'NONE'),
                }),
            );
            const result = await pending;
            expect(result).to.deep.equal({ id: d.packet.id, status: 'acked' });
            expect(h.statuses.map(s => s.status)).to.deep.equal(['queued', 'sent', 'acked']);
            expect(h.transport.published).to.have.length(1); // an ACK is never ACKed
        });

        it('NAK → failed with the reason name', async () => {
            const m = h.messenger();
            const pending = m.send({ text: 'hi', to: PEER });
            await h.clock.tickAsync(0);
            const id = open(h.transport.published[0]).packet.id;
            m.onPacket(
                h.incoming({
                    from: PEER,
                    to: US,
                    data: { portnum: 5, requestId: id },
                    payload: routingPayload(35, 'PKI_UNKNOWN_PUBKEY'),
                }),
            );
            expect(await pending).to.deep.equal({ id, status: 'failed', error: 'PKI_UNKNOWN_PUBKEY' });
            expect(h.statuses.at(-1)).to.deep.include({ status: 'failed', error: 'PKI_UNKNOWN_PUBKEY' });
        });

        it('no ACK → failed after the timeout', async () => {
            const m = h.messenger({ ackTimeoutSeconds: 30 });
            let settled = false;
            const pending = m.send({ text: 'hi', to: PEER }).then(r => {
                settled = true;
                return r;
            });
            await h.clock.tickAsync(29_999);
            expect(settled).to.equal(false);
            await h.clock.tickAsync(1);
            expect(await pending).to.deep.include({ status: 'failed', error: 'no ACK within 30 s' });
            expect(h.clock.countTimers()).to.equal(0);
        });

        it('wantAck false: a DM is final once published', async () => {
            const m = h.messenger();
            const pending = m.send({ text: 'fire and forget', to: PEER, wantAck: false });
            await h.clock.tickAsync(0);
            expect((await pending).status).to.equal('sent');
            expect(m.pendingAcks).to.equal(0);
            // (the codec marks every PKI packet want_ack on the wire; an ACK that comes anyway is simply not tracked)
            expect(open(h.transport.published[0]).packet.to).to.equal(PEER);
        });

        it('a multi-part DM is acked only when every part is acked', async () => {
            const m = h.messenger();
            let result: string | undefined;
            void m.send({ text: 'x'.repeat(350), to: PEER }).then(r => (result = r.status));
            await h.clock.tickAsync(0);
            const ids = h.transport.published.map(p => open(p).packet.id);
            expect(ids).to.have.length(2);
            const ack = (id: number): void =>
                m.onPacket(
                    h.incoming({
                        from: PEER,
                        to: US,
                        data: { portnum: 5, requestId: id },
                        payload: routingPayload(0, 'NONE'),
                    }),
                );
            ack(ids[1]);
            await h.clock.tickAsync(0);
            expect(result).to.equal(undefined);
            ack(ids[0]);
            await h.clock.tickAsync(0);
            expect(result).to.equal('acked');
            expect(h.statuses.at(-1)).to.deep.include({ id: ids[0], status: 'acked', parts: 2 });
        });

        it('channel-key DM for a node in allowChannelDm without public key', async () => {
            const m = h.messenger();
            const pending = m.send({ text: 'legacy', to: ALLOWED });
            await h.clock.tickAsync(0);
            const d = open(h.transport.published[0]);
            expect(d.topic).to.equal(`${ROOT}/2/e/LongFast/!1e0b0001`);
            expect(d.packet.to).to.equal(ALLOWED);
            expect(d.packet.channel).to.equal(8);
            expect(d.packet.wantAck).to.equal(true);
            expect(Buffer.from(channelData(d).payload).toString()).to.equal('legacy');
            m.onPacket(
                h.incoming({
                    from: ALLOWED,
                    to: US,
                    data: { portnum: 5, requestId: d.packet.id },
                    payload: routingPayload(0, 'NONE'),
                }),
            );
            expect((await pending).status).to.equal('acked');
        });
    });

    describe('invalid requests: error result, nothing published', () => {
        const cases: [string, Record<string, unknown>, RegExp][] = [
            ['empty text', { text: '' }, /empty/],
            ['whitespace text', { text: '  \n ' }, /empty/],
            ['non-string text', { text: 42 }, /must be a string/],
            ['missing text', { text: undefined }, /must be a string/],
            ['oversize text', { text: 'x'.repeat(1601) }, /too long/],
            [
                'unknown channel',
                { text: 'hi', channel: 'Nope' },
                /unknown channel "Nope" \(configured: LongFast, Secret, Open\)/,
            ],
            ['channel index out of range', { text: 'hi', channel: 7 }, /unknown channel index/],
            ['unknown node', { text: 'hi', to: '!0badc0de' }, /unknown node !0badc0de/],
            [
                'no public key',
                { text: 'hi', to: OLD_PEER },
                /no public key for !33445566 — wait for its NodeInfo or allow a channel-key DM for it/,
            ],
            ['invalid destination', { text: 'hi', to: 'someone' }, /invalid destination/],
            ['ourselves', { text: 'hi', to: US }, /ourselves/],
            ['bad replyId', { text: 'hi', replyId: -5 }, /replyId/],
            ['emoji without replyId', { text: '👍', emoji: true }, /replyId/],
        ];
        for (const [name, request, error] of cases) {
            it(name, async () => {
                const m = h.messenger();
                const result = await m.send(request as { text: unknown });
                await h.clock.tickAsync(60_000);
                expect(result.status).to.equal('failed');
                expect(result.error).to.match(error);
                expect(h.transport.attempts).to.equal(0);
                expect(m.queueLength).to.equal(0);
                expect(h.statuses).to.have.length(1);
                expect(h.statuses[0]).to.deep.include({ id: 0, status: 'failed' });
            });
        }

        it('a full queue rejects the whole message', async () => {
            h.transport.connected = false;
            const m = h.messenger({ queueSize: 3 });
            void m.send({ text: 'one' });
            void m.send({ text: 'two' });
            const result = await m.send({ text: 'y'.repeat(300) }); // 2 parts, 1 slot left
            expect(result).to.deep.include({ status: 'failed' });
            expect(result.error).to.match(/send queue full/);
            expect(m.queueLength).to.equal(2);
            m.stop();
        });

        it('no channel configured', async () => {
            const m = h.messenger({ channels: [] });
            expect((await m.send({ text: 'hi' })).error).to.match(/no channel/);
        });
    });

    describe('connection', () => {
        it('waits while disconnected and publishes once after resume()', async () => {
            h.transport.connected = false;
            const m = h.messenger();
            let result: string | undefined;
            void m.send({ text: 'later' }).then(r => (result = r.status));
            await h.clock.tickAsync(3000);
            expect(h.transport.published).to.have.length(0);
            expect(h.statuses.map(s => s.status)).to.deep.equal(['queued']);
            h.transport.connected = true;
            m.resume();
            m.resume();
            await h.clock.tickAsync(0);
            expect(result).to.equal('sent');
            expect(h.transport.published).to.have.length(1);
        });

        it('fails with "not connected" when the connection does not come back in time', async () => {
            h.transport.connected = false;
            const m = h.messenger({ disconnectedWaitMs: 60_000 });
            const pending = m.send({ text: 'never' });
            await h.clock.tickAsync(60_000);
            const result = await pending;
            expect(result.status).to.equal('failed');
            expect(result.error).to.match(/^not connected/);
        });
    });

    it('an inbound DM from the h.peer decrypts for us (sanity of the fixture keys)', () => {
        // the h.peer could encrypt to us with our advertised key: our private key decrypts it
        const blob = pkiEncrypt(h.peer.privateObject, h.identity.publicKey, 7, PEER, Buffer.from('x'));
        const plain = pkiDecrypt(x25519PrivateObject(h.identity.privateKey), h.peer.publicKey, 7, PEER, blob);
        expect(plain.toString()).to.equal('x');
    });

    it('isOwnPacket: our node number or our gateway id', () => {
        const m = h.messenger();
        expect(m.isOwnPacket(h.incoming({ from: US }))).to.equal(true);
        expect(m.isOwnPacket(h.incoming({ from: PEER, gateway: '!1E0B0001' }))).to.equal(true);
        expect(m.isOwnPacket(h.incoming({ from: PEER }))).to.equal(false);
    });

    it('stop() fails everything pending with "adapter stopping" and leaves no timer', async () => {
        const m = h.messenger({ sendSpacingMs: 5000 });
        const dm = m.send({ text: 'waiting for ack', to: PEER });
        const queued = m.send({ text: 'still queued' });
        await h.clock.tickAsync(0);
        m.stop();
        expect(await dm).to.deep.include({ status: 'failed', error: 'adapter stopping' });
        expect(await queued).to.deep.include({ status: 'failed', error: 'adapter stopping' });
        expect(h.clock.countTimers()).to.equal(0);
        expect((await m.send({ text: 'after' })).error).to.equal('adapter stopping');
        expect(m.announce().queued).to.equal(0);
    });
});
