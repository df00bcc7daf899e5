import { expect } from 'chai';
import { PacketDecoder } from './decoder';
import { encodeData, encodeEnvelope, emptyHeader } from './envelope';
import { encodePkiPacket } from './encoder';
import { DEFAULT_PSK, KeyRing } from './keys';
import { encodeText } from './payloads';
import { fromHex, hex, pkiPrimitive } from './vectors.test';
import { mustDecode } from '../../test-support/decode';

const longFastRing = new KeyRing([{ name: 'LongFast', key: DEFAULT_PSK }]);

describe('codec/decoder', () => {
    describe('PKI direct messages', () => {
        const pki = pkiPrimitive();
        const receiverPrivate = fromHex(pki.receiver_private_key_hex);
        const senderPublic = fromHex(pki.sender_public_key_hex);
        const { from, to, id } = pki.header;

        function pkiEnvelope(channelId = 'PKI', pkiEncrypted = true, dest = to): Uint8Array {
            const header = {
                ...emptyHeader(),
                from,
                to: dest,
                id,
                hopLimit: 3,
                hopStart: 3,
                wantAck: true,
                pkiEncrypted,
            };
            return encodeEnvelope({
                channelId,
                gatewayId: '!0000abcd',
                header,
                encrypted: fromHex(pki.encrypted_payload_hex),
            });
        }

        function pkiDecoder(publicKeyOf: (n: number) => Uint8Array | undefined): PacketDecoder {
            return new PacketDecoder({
                keyRing: longFastRing,
                pki: { ownNodeNum: to, privateKey: receiverPrivate, publicKeyOf },
            });
        }

        it('decrypts the firmware test_PKC frame addressed to us', () => {
            const decoder = pkiDecoder(n => (n === from ? senderPublic : undefined));
            const packet = mustDecode(decoder.decode('msh/EU_868/2/e/PKI/!0000abcd', pkiEnvelope()));
            expect(packet.encryption).to.equal('pki');
            expect(packet.channelName).to.equal('PKI');
            expect(packet.payload).to.deep.equal({ type: 'text', text: 'test' });
            expect(hex(encodeData(packet.data))).to.equal(pki.expected.plaintext_hex);
            expect(hex(packet.header.publicKey ?? new Uint8Array())).to.equal(pki.sender_public_key_hex);
            // A second packet reuses the cached shared key.
            expect(decoder.decode('msh/EU_868/2/e/PKI/!0000abcd', pkiEnvelope()).ok).to.equal(true);
        });

        it('also tries PKI for channel-0 packets to us outside the PKI topic', () => {
            const decoder = pkiDecoder(n => (n === from ? senderPublic : undefined));
            const packet = mustDecode(decoder.decode('msh/2/e/LongFast/!0000abcd', pkiEnvelope('LongFast', false)));
            expect(packet.encryption).to.equal('pki');
        });

        it('keeps PKI DMs opaque without a private key, for other nodes, or with an unknown sender key', () => {
            const cases: [PacketDecoder, Uint8Array, string][] = [
                [new PacketDecoder({ keyRing: longFastRing }), pkiEnvelope(), 'other nodes'],
                [pkiDecoder(() => senderPublic), pkiEnvelope('PKI', true, 0x01020304), 'other nodes'],
                [pkiDecoder(() => undefined), pkiEnvelope(), 'to us'],
                [pkiDecoder(() => new Uint8Array(32).fill(9)), pkiEnvelope(), 'to us'],
            ];
            for (const [decoder, bytes, why] of cases) {
                const outcome = decoder.decode('msh/EU_868/2/e/PKI/!0000abcd', bytes);
                expect(outcome.ok).to.equal(false);
                if (outcome.ok) {
                    continue;
                }
                expect(outcome.error.reason).to.equal('pki');
                expect(outcome.error.message).to.contain(why);
                expect(outcome.error.gatewayId).to.equal('!0000abcd');
                expect(outcome.opaque?.reason).to.equal('pki');
                expect(outcome.opaque?.header.pkiEncrypted).to.equal(true);
                expect(outcome.opaque?.header.from).to.equal(from);
            }
        });

        it('round-trips our own PKI packets through the decoder', () => {
            const decoder = pkiDecoder(n => (n === from ? senderPublic : undefined));
            const shared = fromHex(pki.shared_key_sha256_hex);
            const message = encodePkiPacket({
                root: 'msh/EU_868',
                from,
                to,
                id: 4242,
                data: { portnum: 1, payload: encodeText('hello PKI'), bitfield: 1 },
                hopLimit: 3,
                sharedKey: shared,
            });
            const packet = mustDecode(decoder.decode(message.topic, message.payload));
            expect(packet.payload).to.deep.equal({ type: 'text', text: 'hello PKI' });
            expect(packet.header.wantAck).to.equal(true);
            expect(packet.header.pkiEncrypted).to.equal(true);
        });

        it('returns an error instead of throwing when the key lookup throws', () => {
            const decoder = pkiDecoder(() => {
                throw new Error('store exploded');
            });
            const outcome = decoder.decode('msh/EU_868/2/e/PKI/!0000abcd', pkiEnvelope());
            expect(outcome.ok).to.equal(false);
            if (!outcome.ok) {
                expect(outcome.error.message).to.contain('store exploded');
            }
        });
    });
});
