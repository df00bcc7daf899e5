import { expect } from 'chai';
import { once } from 'node:events';
import { connect as netConnect } from 'node:net';
import { useBrokerBench } from '../../test-support/broker-bench';
import { closed, HOST, sleep } from '../../test-support/transport-fixtures.test';

describe('transport/broker-guards (oversized packets, invalid UTF-8: the connection is closed)', function () {
    this.timeout(15000);
    const bench = useBrokerBench();

    it('closes connections that send a packet larger than maxPacketSize', async () => {
        await bench.start({ maxPacketSize: 1024 });
        const gw = await bench.client({ clientId: 'big-sender' });
        await gw.publishAsync('msh/small', Buffer.alloc(500), { qos: 1 });
        const gone = closed(gw);
        gw.publish('msh/big', Buffer.alloc(5000), { qos: 0 });
        await gone;
        await sleep(20);
        expect(bench.messages.map(m => m.topic)).to.deep.equal(['msh/small']);
        expect(bench.broker!.stats().oversizedPackets).to.equal(1);
        expect(bench.log.at('warn', /"big-sender" .* packet of 50\d\d bytes \(limit 1024\)/)).to.have.length(1);
    });

    describe('invalid UTF-8 (MQTT-1.5.3-1/-2: close the connection)', () => {
        const str = (bytes: number[] | string): Buffer => {
            const b = typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes);
            return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
        };
        const packet = (first: number, ...parts: Buffer[]): Buffer => {
            const body = Buffer.concat(parts);
            return Buffer.concat([Buffer.from([first, body.length]), body]); // bodies here stay below 128 bytes
        };
        const connectPacket = (clientId: Buffer, user?: Buffer): Buffer =>
            packet(0x10, str('MQTT'), Buffer.from([4, user ? 0x82 : 0x02, 0, 60]), clientId, ...(user ? [user] : []));
        const CONNACK_OK = Buffer.from([0x20, 2, 0, 0]);

        /** Raw bytes over a plain socket: what came back, and whether the broker closed the connection. */
        async function rawExchange(...packets: Buffer[]): Promise<{ reply: Buffer; closed: boolean }> {
            const socket = netConnect({ host: HOST, port: bench.port });
            const chunks: Buffer[] = [];
            socket.on('data', c => chunks.push(c));
            let closedByBroker = false;
            socket.on('close', () => (closedByBroker = true));
            await once(socket, 'connect');
            for (const p of packets) {
                socket.write(p);
                await sleep(30);
            }
            await sleep(150);
            socket.destroy();
            return { reply: Buffer.concat(chunks), closed: closedByBroker };
        }

        it('closes connections whose client id, user name, topic or topic filter is not UTF-8, counts them, logs once', async () => {
            await bench.start();
            const ok = str('raw-ok');
            const cases: { what: string; packets: Buffer[] }[] = [
                { what: 'client id 0xC3 0x28', packets: [connectPacket(str([0x63, 0xc3, 0x28]))] },
                { what: 'user name 0xFF', packets: [connectPacket(str('u1'), str([0xff, 0x61]))] },
                { what: 'client id with U+0000', packets: [connectPacket(str([0x61, 0x00, 0x62]))] },
                { what: 'topic 0xFE', packets: [connectPacket(ok), packet(0x30, str([0x6d, 0xfe]), Buffer.from('x'))] },
                {
                    what: 'topic with U+0000',
                    packets: [connectPacket(str('raw-2')), packet(0x30, str([0x6d, 0x00]), Buffer.from('x'))],
                },
                // ED A0 80 is the UTF-8 form of a surrogate (U+D800): ill-formed.
                {
                    what: 'filter with a surrogate',
                    packets: [
                        connectPacket(str('raw-3')),
                        packet(0x82, Buffer.from([0, 1]), str([0x61, 0xed, 0xa0, 0x80]), Buffer.from([0])),
                    ],
                },
                {
                    what: 'unsubscribe filter 0xC0 0x80 (overlong)',
                    packets: [connectPacket(str('raw-4')), packet(0xa2, Buffer.from([0, 2]), str([0xc0, 0x80]))],
                },
            ];
            for (const c of cases) {
                const { closed } = await rawExchange(...c.packets);
                expect(closed, c.what).to.equal(true);
            }
            expect(bench.broker!.stats().invalidUtf8).to.equal(cases.length);
            expect(bench.messages, 'no bad topic reached the adapter').to.deep.equal([]);
            expect(bench.log.at('warn', /not valid UTF-8/)).to.have.length(1);
            expect(bench.log.at('debug', /not valid UTF-8/)).to.have.length(cases.length - 1);

            // Valid multi-byte text (and U+FFFD itself) passes, and the connection stays open.
            const topic = 'msh/ü/🔥/\ufffd';
            const good = await rawExchange(
                connectPacket(str('raw-good-ü')),
                packet(0x30, str(topic), Buffer.from('payload')),
                Buffer.from([0xc0, 0]), // PINGREQ
            );
            expect(good.closed).to.equal(false);
            expect(good.reply.subarray(0, 4)).to.deep.equal(CONNACK_OK);
            expect(good.reply.subarray(4)).to.deep.equal(Buffer.from([0xd0, 0])); // PINGRESP
            expect(bench.messages.map(m => m.topic)).to.deep.equal([topic]);
            expect(bench.broker!.stats().invalidUtf8).to.equal(cases.length);
        });
    });
});
