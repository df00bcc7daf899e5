import { fromBinary } from '@bufbuild/protobuf';
import { Mesh } from '@meshtastic/protobufs';
import { expect } from 'chai';
import { createPublicKey, createPrivateKey } from 'node:crypto';
import { createIdentity, generateNodeNum, isUsableNodeNum, nodeInfoData, parsePrivateKey } from './identity';

const settings = { longName: 'ioBroker', shortName: 'IOB', hwModel: 255, role: 0, privateKey: '' };

/** X25519 public key of a raw private key, computed with node:crypto directly (independent of the codec). */
function x25519Public(privateKey: Uint8Array): Uint8Array {
    const der = Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), privateKey]);
    const jwk = createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).export({ format: 'jwk' });
    return Buffer.from(jwk.x ?? '', 'base64url');
}

describe('send/identity', () => {
    it('generateNodeNum never returns reserved numbers', () => {
        const values = [0, 1, 2, 3, 4, 0xffffffff, 0x12345678];
        let i = 0;
        expect(generateNodeNum(() => values[i++])).to.equal(0x12345678);
        for (let n = 0; n < 200; n++) {
            const num = generateNodeNum();
            expect(isUsableNodeNum(num), String(num)).to.equal(true);
        }
        expect(generateNodeNum(() => 0)).to.satisfy(isUsableNodeNum); // broken random source still gives a usable number
    });

    it('uses the configured node number, else the stored one, else generates one', () => {
        const configured = createIdentity({ ...settings, nodeNum: 0xdeadbeef }, 0x11111111);
        expect(configured.ok && configured.identity.nodeNum).to.equal(0xdeadbeef);
        expect(configured.ok && configured.identity.id).to.equal('!deadbeef');
        expect(configured.ok && configured.generatedNodeNum).to.equal(false);

        const stored = createIdentity(settings, 0x11111111);
        expect(stored.ok && stored.identity.nodeNum).to.equal(0x11111111);

        const fresh = createIdentity(settings, undefined, () => 0x0a0b0c0d);
        expect(fresh.ok && fresh.identity.nodeNum).to.equal(0x0a0b0c0d);
        expect(fresh.ok && fresh.generatedNodeNum).to.equal(true);

        expect(createIdentity({ ...settings, nodeNum: 0xffffffff }).ok).to.equal(false);
    });

    it('generates a key pair when none is stored and keeps a stored key', () => {
        const fresh = createIdentity(settings, 0x11111111);
        if (!fresh.ok) {
            throw new Error(fresh.error);
        }
        expect(fresh.generatedKey).to.equal(true);
        expect(fresh.identity.privateKey).to.have.length(32);
        expect(Buffer.from(fresh.identity.publicKey)).to.deep.equal(
            Buffer.from(x25519Public(fresh.identity.privateKey)),
        );

        const again = createIdentity({ ...settings, privateKey: fresh.privateKeyBase64 }, 0x11111111);
        if (!again.ok) {
            throw new Error(again.error);
        }
        expect(again.generatedKey).to.equal(false);
        expect(Buffer.from(again.identity.publicKey)).to.deep.equal(Buffer.from(fresh.identity.publicKey));
        // URL-safe base64 without padding works too
        const urlSafe = Buffer.from(fresh.identity.privateKey).toString('base64url');
        expect(parsePrivateKey(urlSafe)).to.deep.equal(fresh.identity.privateKey);
    });

    it('reports a broken stored key instead of replacing it', () => {
        for (const bad of [
            'not base64!',
            'AQ==',
            Buffer.alloc(31).toString('base64'),
            Buffer.alloc(33).toString('base64'),
        ]) {
            const result = createIdentity({ ...settings, privateKey: bad }, 0x11111111);
            expect(result.ok, bad).to.equal(false);
            expect(!result.ok && result.error).to.match(/private key/);
        }
    });

    it('nodeInfoData: NODEINFO_APP, User with our public key, bitfield OK_TO_MQTT (+ WANT_RESPONSE)', () => {
        const result = createIdentity({ ...settings, nodeNum: 0x1e0b0001 });
        if (!result.ok) {
            throw new Error(result.error);
        }
        const plain = nodeInfoData(result.identity);
        expect(plain.portnum).to.equal(4);
        expect(plain.bitfield).to.equal(1);
        expect(plain.wantResponse).to.equal(false);
        const user = fromBinary(Mesh.UserSchema, plain.payload);
        expect(user.id).to.equal('!1e0b0001');
        expect(user.longName).to.equal('ioBroker');
        expect(user.shortName).to.equal('IOB');
        expect(user.hwModel).to.equal(255);
        expect(user.role).to.equal(0);
        expect(user.isLicensed).to.equal(false);
        expect(Buffer.from(user.publicKey)).to.deep.equal(Buffer.from(result.identity.publicKey));

        const asking = nodeInfoData(result.identity, true);
        expect(asking.wantResponse).to.equal(true);
        expect(asking.bitfield).to.equal(3);
    });
});
