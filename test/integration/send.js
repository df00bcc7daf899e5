'use strict';
// Integration suite "broker mode: talk to the mesh": one part of test/integration/index.js (one harness run).
const { expect } = require('chai');
const { create, fromBinary, toBinary } = require('@bufbuild/protobuf');
const { Mesh } = require('@meshtastic/protobufs');
const ind = require('../support/independent-crypto');
const codec = require('../../build/lib/codec');
const { byName } = require('../support/vectors');
const { connectWhenReady, publish } = require('../support/mqtt');
const { waitFor, waitForState, readState, readLogs, sendTo } = require('../support/harness');
const { BROKER_PORT, ROOT, NS, brokerConfig } = require('./context');

module.exports = function ({ suite }) {
    suite('broker mode: talk to the mesh', getHarness => {
        let gateway;
        const received = [];
        let ourId;
        let ourNum;
        let ourPublicKey;
        const peer = ind.x25519KeyPair();
        const PEER = 0x0badc0de;
        const longFast = codec.makeChannelKey('LongFast', codec.parsePsk('AQ==').value);
        after(async () => gateway?.endAsync(true));

        const nextMessage = async (predicate, timeoutMs = 15000) =>
            waitFor(() => received.find(predicate), timeoutMs, 'a published packet');

        it('announces the virtual node and broadcasts a channel text that real gateways accept', async function () {
            this.timeout(60000);
            const harness = getHarness();
            await harness.changeAdapterConfig(
                'meshtastic',
                brokerConfig({ sendSpacingMs: 0, ackTimeoutSeconds: 5, hopLimit: 3 }),
            );
            await harness.startAdapterAndWait();
            gateway = await connectWhenReady(BROKER_PORT, { clientId: '!1a2b3c4d' });
            gateway.on('message', (topic, payload) =>
                received.push({ topic, payload, env: ind.decodeEnvelope(payload) }),
            );
            await gateway.subscribeAsync(`${ROOT}/2/e/#`);

            // The identity was generated once and kept in the adapter's own object.
            const identity = await waitFor(
                () => harness.objects.getObjectAsync(`${NS}.identity`),
                15000,
                'stored identity',
            );
            ourId = identity.native.nodeId;
            ourNum = parseInt(ourId.slice(1), 16);
            expect(ourId).to.match(/^![0-9a-f]{8}$/);
            expect(identity.native.privateKey).to.be.a('string').and.not.equal('');

            // NodeInfo with our public key on the downlink channel.
            const info = await nextMessage(
                m => m.env.packet.from === ourNum && ind.decryptChannel(m.env.packet).portnum === 4,
            );
            expect(info.topic).to.equal(`${ROOT}/2/e/LongFast/${ourId}`);
            const ourUser = ind.decodeUser(ind.decryptChannel(info.env.packet).payload);
            expect(ourUser.id).to.equal(ourId);
            expect(ourUser.longName).to.equal('ioBroker');
            expect(Buffer.byteLength(ourUser.shortName)).to.be.at.most(4);
            expect(ourUser.publicKey).to.have.length(32);
            ourPublicKey = Buffer.from(ourUser.publicKey);

            await harness.states.setStateAsync(`${NS}.channels.LongFast.send`, {
                val: 'Hello from ioBroker',
                ack: false,
            });
            const msg = await nextMessage(m => {
                const d = ind.decryptChannel(m.env.packet);
                return d.portnum === 1 && Buffer.from(d.payload).toString() === 'Hello from ioBroker';
            });
            // Every downlink rule of real firmware, checked on the bytes with node:crypto.
            expect(msg.topic).to.equal(`${ROOT}/2/e/LongFast/${ourId}`);
            expect(msg.env.channelId).to.equal('LongFast');
            expect(msg.env.gatewayId).to.equal(ourId);
            expect(msg.env.packet.from).to.equal(ourNum);
            expect(msg.env.packet.to).to.equal(0xffffffff);
            expect(msg.env.packet.channel).to.equal(ind.channelHash('LongFast', ind.DEFAULT_KEY)).and.equal(8);
            expect(msg.env.packet.hopLimit).to.equal(3);
            expect(msg.env.packet.hopStart).to.equal(3);
            expect(msg.env.packet.id).to.be.above(0);
            expect(msg.env.packet.payloadVariant.case).to.equal('encrypted');
            expect(ind.decryptChannel(msg.env.packet).bitfield).to.equal(1);

            const confirmed = await waitForState(harness, `${NS}.channels.LongFast.send`, s => s?.ack === true, 10000);
            expect(confirmed.val).to.equal('Hello from ioBroker');
            const status = JSON.parse(
                (
                    await waitForState(
                        harness,
                        `${NS}.channels.LongFast.sendStatus`,
                        s => String(s?.val).includes('"sent"'),
                        10000,
                    )
                ).val,
            );
            expect(status).to.include({ status: 'sent', channel: 'LongFast', id: msg.env.packet.id });

            // Our own packet coming back from a gateway is not a received message.
            const decodedBefore = (await readState(harness, `${NS}.stats.decoded`))?.val ?? 0;
            await publish(
                gateway,
                `${ROOT}/2/e/LongFast/!1a2b3c4d`,
                Buffer.from(msg.payload.toString('latin1').replace(ourId, '!1a2b3c4d'), 'latin1'),
            );
            await publish(
                gateway,
                byName('plain_text_message_app_2024', ROOT).topic,
                byName('plain_text_message_app_2024', ROOT).payload,
            );
            await waitForState(harness, `${NS}.channels.LongFast.lastMessage`, s => s?.val === 'Hello', 15000);
            await waitForState(harness, `${NS}.stats.decoded`, s => s?.val === decodedBefore + 1, 15000);
        });

        it('sends a PKI direct message, tracks the ACK and fails without one', async function () {
            this.timeout(60000);
            const harness = getHarness();
            // A node announces itself with its public key.
            const user = codec.encodeUser({
                id: '!0badc0de',
                longName: 'Test peer',
                shortName: 'TP',
                hwModel: 43,
                role: 0,
                publicKey: peer.publicKey,
            });
            const ni = codec.encodeChannelPacket({
                root: ROOT,
                channel: longFast,
                from: PEER,
                to: 0xffffffff,
                id: 4242,
                data: { portnum: 4, payload: user, bitfield: 1 },
                hopLimit: 3,
                wantAck: false,
            });
            await publish(gateway, ni.topic, Buffer.from(ni.payload));
            await waitForState(
                harness,
                `${NS}.nodes.0badc0de.info.publicKey`,
                s => s?.val === peer.publicKey.toString('base64'),
                15000,
            );

            await harness.states.setStateAsync(`${NS}.nodes.0badc0de.send`, { val: 'psst, PKI', ack: false });
            const dm = await nextMessage(m => m.env.channelId === 'PKI' && m.env.packet.to === PEER);
            expect(dm.topic).to.equal(`${ROOT}/2/e/PKI/${ourId}`);
            expect(dm.env.packet.channel).to.equal(0);
            expect(dm.env.packet.wantAck).to.equal(true);
            expect(dm.env.packet.pkiEncrypted).to.equal(true);
            const data = ind.decryptPki(dm.env.packet, peer.privateKeyObject, ourPublicKey);
            expect(Buffer.from(data.payload).toString()).to.equal('psst, PKI');
            await waitForState(harness, `${NS}.nodes.0badc0de.send`, s => s?.ack === true, 10000);

            // The recipient's Routing ACK turns the status to acked.
            const ack = codec.encodeChannelPacket({
                root: ROOT,
                channel: longFast,
                from: PEER,
                to: ourNum,
                id: 4243,
                data: { portnum: 5, payload: codec.encodeRoutingAck(0), requestId: dm.env.packet.id, bitfield: 1 },
                hopLimit: 3,
                wantAck: false,
            });
            await publish(gateway, ack.topic, Buffer.from(ack.payload));
            const acked = await waitForState(
                harness,
                `${NS}.nodes.0badc0de.sendStatus`,
                s => String(s?.val).includes('"acked"'),
                15000,
            );
            expect(JSON.parse(acked.val)).to.include({ status: 'acked', id: dm.env.packet.id });
            expect(JSON.parse((await readState(harness, `${NS}.messages.lastSent`)).val).status).to.equal('acked');

            // A PKI DM from the peer to our node is decrypted, shown, and acknowledged.
            const shared = codec.pkiSharedKey(peer.privateKey, ourPublicKey);
            const incoming = codec.encodePkiPacket({
                root: ROOT,
                from: PEER,
                to: ourNum,
                id: 4244,
                sharedKey: shared,
                hopLimit: 3,
                wantAck: true,
                data: { portnum: 1, payload: codec.encodeText('hi adapter'), bitfield: 1 },
                gatewayId: '!1a2b3c4d',
            });
            await publish(gateway, incoming.topic, Buffer.from(incoming.payload));
            const direct = await waitForState(
                harness,
                `${NS}.messages.direct`,
                s => String(s?.val).includes('hi adapter'),
                15000,
            );
            expect(JSON.parse(direct.val)).to.include({ text: 'hi adapter', from: PEER });
            await waitForState(harness, `${NS}.nodes.0badc0de.messages.lastText`, s => s?.val === 'hi adapter', 15000);
            const ackBack = await nextMessage(m => {
                if (m.env.packet.from !== ourNum || m.env.packet.to !== PEER || m.env.channelId === 'PKI') {
                    return false;
                }
                const d = ind.decryptChannel(m.env.packet);
                return d.portnum === 5 && d.requestId === 4244;
            });
            expect(ackBack.env.channelId).to.equal('LongFast');

            // No ACK: failed after the timeout (5 s here), through sendTo.
            const result = await sendTo(harness, 'send', { text: 'anyone there?', to: '!0badc0de' }, 20000);
            expect(result).to.include({ status: 'failed' });
            expect(result.error).to.match(/ACK/);
        });

        it('sends traceroutes (sendTo and the button) that real gateways accept, and answers with the route', async function () {
            this.timeout(60000);
            const harness = getHarness();
            const RELAY = 0x0badc0df;
            const isTraceroute = m =>
                m.env.packet.from === ourNum &&
                m.env.channelId !== 'PKI' &&
                ind.decryptChannel(m.env.packet).portnum === 70;
            const before = received.length;
            const answer = sendTo(harness, 'traceroute', { to: '!0badc0de' }, 30000);
            const request = await nextMessage(m => received.indexOf(m) >= before && isTraceroute(m));
            // The downlink rules of real firmware, checked on the bytes with node:crypto.
            expect(request.topic).to.equal(`${ROOT}/2/e/LongFast/${ourId}`);
            expect(request.env.gatewayId).to.equal(ourId);
            expect(request.env.packet.from).to.equal(ourNum);
            expect(request.env.packet.to).to.equal(PEER);
            expect(request.env.packet.channel).to.equal(8);
            expect(request.env.packet.hopLimit).to.equal(3);
            expect(request.env.packet.hopStart).to.equal(3);
            expect(request.env.packet.id).to.be.above(0);
            expect(request.env.packet.pkiEncrypted).to.equal(false); // firmware never sends traceroutes as PKI
            const data = ind.decryptChannel(request.env.packet);
            expect(data.wantResponse).to.equal(true);
            expect(data.bitfield).to.equal(3);
            expect(fromBinary(Mesh.RouteDiscoverySchema, data.payload).route).to.deep.equal([]);

            // The peer's reply as its firmware sends it (through a relay), uplinked by a gateway.
            const reply = ind.encryptChannel({
                root: ROOT,
                from: PEER,
                to: ourNum,
                id: 4250,
                gatewayId: '!1a2b3c4d',
                data: {
                    portnum: 70,
                    requestId: request.env.packet.id,
                    payload: toBinary(
                        Mesh.RouteDiscoverySchema,
                        create(Mesh.RouteDiscoverySchema, { route: [RELAY], snrTowards: [24, 12] }),
                    ),
                },
            });
            await publish(gateway, reply.topic, reply.payload);
            const result = await answer;
            expect(result).to.include({ id: request.env.packet.id, to: '!0badc0de' });
            expect(result.route.from).to.equal(ourId);
            expect(result.route.towards.map(hop => hop.id)).to.deep.equal([ourId, '!0badc0df', '!0badc0de']);
            expect(result.route.towards[1]).to.include({ snr: 6 });
            expect(result.route.towards[2]).to.include({ name: 'Test peer', snr: 3 });
            const stored = await waitForState(
                harness,
                `${NS}.nodes.0badc0de.traceroute.route`,
                s => typeof s?.val === 'string',
                15000,
            );
            expect(JSON.parse(stored.val).towards).to.deep.equal(result.route.towards);

            // The button: a write-only `button` state, confirmed with ack=true once the request is published.
            const button = await harness.objects.getObjectAsync(`${NS}.nodes.0badc0de.traceroute.request`);
            expect(button.common).to.include({ type: 'boolean', role: 'button', read: false, write: true });
            const beforeButton = received.length;
            await harness.states.setStateAsync(`${NS}.nodes.0badc0de.traceroute.request`, { val: true, ack: false });
            const second = await nextMessage(m => received.indexOf(m) >= beforeButton && isTraceroute(m));
            expect(second.env.packet.to).to.equal(PEER);
            expect(second.env.packet.id).to.not.equal(request.env.packet.id);
            await waitForState(harness, `${NS}.nodes.0badc0de.traceroute.request`, s => s?.ack === true, 10000);

            // The hourly bound: 10 in all (2 went out above), then a clear error and one warning in the log.
            for (let i = 0; i < 8; i++) {
                harness.sendTo(NS, 'traceroute', { to: '!0badc0de' }, () => {}); // answered after their timeout
            }
            for (let i = 0; i < 2; i++) {
                const over = await sendTo(harness, 'traceroute', { to: '!0badc0de' });
                expect(over).to.include({
                    id: 0,
                    error: 'traceroute limit reached (at most 10 per hour, they cost airtime)',
                });
            }
            await waitFor(() => readLogs(harness).includes('Traceroute refused'), 10000, 'the warning');
            // (js-controller writes the same line to the dated and the current log file: distinct lines count)
            const warnings = readLogs(harness)
                .split('\n')
                .filter(line => line.includes('Traceroute refused'));
            expect(new Set(warnings).size).to.equal(1);
        });

        it('refuses bad sends with a clear status and publishes nothing', async function () {
            this.timeout(30000);
            const harness = getHarness();
            const before = received.length;
            const cases = [
                [{ text: '', channel: 'LongFast' }, /empty/i],
                [{ text: 42, channel: 'LongFast' }, /text/i],
                [{ text: 'x', channel: 'NoSuchChannel' }, /channel/i],
                [{ text: 'x', to: '!00c0ffee' }, /unknown node/i],
                [{ text: 'x', to: '!2047b3d5' }, /unknown node|public key/i],
                [{ text: 'y'.repeat(5000), channel: 'LongFast' }, /too long/i],
            ];
            for (const [request, pattern] of cases) {
                const result = await sendTo(harness, 'send', request);
                expect(result.status, JSON.stringify(request)).to.equal('failed');
                expect(result.error, JSON.stringify(request)).to.match(pattern);
            }
            // A DM to a node we know without a public key.
            const nodeinfo = byName('plain_nodeinfo_app_2024', ROOT);
            await publish(gateway, nodeinfo.topic, nodeinfo.payload);
            await waitForState(harness, `${NS}.nodes.fa75f7c0.info.longName`, s => s?.val === 'Klaaswaal', 15000);
            await harness.states.setStateAsync(`${NS}.nodes.fa75f7c0.send`, { val: 'hello?', ack: false });
            const status = await waitForState(
                harness,
                `${NS}.nodes.fa75f7c0.sendStatus`,
                s => String(s?.val).includes('failed'),
                10000,
            );
            expect(JSON.parse(status.val).error).to.match(/public key/i);
            await new Promise(resolve => setTimeout(resolve, 1000));
            const sentNow = received
                .slice(before)
                .filter(m => m.env.packet.from === ourNum && ind.decryptChannel(m.env.packet).portnum === 1);
            expect(sentNow).to.have.length(0);
            expect(harness.isAdapterRunning()).to.equal(true);
        });
    });
};
