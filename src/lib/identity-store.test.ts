import { expect } from 'chai';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { normaliseConfig, type VirtualNodeSettings } from './config';
import { IDENTITY_OBJECT_ID, loadIdentity, type IdentityHost, type IdentityNative } from './identity-store';

const SECRET = randomBytes(24);

/** An adapter's own objects in memory, with js-controller's aes-192-cbc encryption of the system secret. */
function fakeHost(): IdentityHost & { objects: Map<string, IdentityNative>; writes: number } {
    const objects = new Map<string, IdentityNative>();
    const host = {
        objects,
        writes: 0,
        readIdentityObject: (id: string) =>
            Promise.resolve(objects.has(id) ? { native: { ...objects.get(id) } } : null),
        writeIdentityObject: (id: string, native: IdentityNative) => {
            host.writes++;
            objects.set(id, { ...native });
            return Promise.resolve();
        },
        encrypt: (value: string) => {
            const iv = randomBytes(16);
            const cipher = createCipheriv('aes-192-cbc', SECRET, iv);
            return `$/aes-192-cbc:${iv.toString('hex')}:${Buffer.concat([cipher.update(value), cipher.final()]).toString('hex')}`;
        },
        decrypt: (value: string) => {
            const [, iv, data] = value.split(':', 3);
            const decipher = createDecipheriv('aes-192-cbc', SECRET, Buffer.from(iv, 'hex'));
            return Buffer.concat([decipher.update(Buffer.from(data, 'hex')), decipher.final()]).toString();
        },
    };
    return host;
}

function settings(native: Record<string, unknown> = {}): VirtualNodeSettings {
    const result = normaliseConfig({ channels: [{ name: 'LongFast', psk: 'AQ==' }], ...native });
    if (!result.ok) {
        throw new Error(JSON.stringify(result.errors));
    }
    return result.config.virtualNode;
}

describe('identity-store', () => {
    it('creates the identity once, keeps the key encrypted, and finds the same one on the next start', async () => {
        const host = fakeHost();
        const first = await loadIdentity(settings(), host);
        if (!first.ok) {
            throw new Error(first.error);
        }
        expect(first.created).to.deep.equal(['node id', 'key pair']);
        const stored = host.objects.get(IDENTITY_OBJECT_ID);
        expect(stored?.nodeId).to.equal(first.identity.id);
        const keyBase64 = Buffer.from(first.identity.privateKey).toString('base64');
        expect(stored?.privateKey).to.match(/^\$\/aes-192-cbc:/);
        expect(JSON.stringify(stored)).not.to.include(keyBase64);
        expect(JSON.stringify(stored)).not.to.include(Buffer.from(first.identity.privateKey).toString('hex'));

        const second = await loadIdentity(settings(), host);
        if (!second.ok) {
            throw new Error(second.error);
        }
        expect(second.created).to.deep.equal([]);
        expect(host.writes, 'nothing written on the second start').to.equal(1);
        expect(second.identity.id).to.equal(first.identity.id);
        expect(Buffer.from(second.identity.publicKey)).to.deep.equal(Buffer.from(first.identity.publicKey));
    });

    it('lets the settings win and keeps an identity already in the settings (upgrade) without writing', async () => {
        const host = fakeHost();
        const key = randomBytes(32).toString('base64');
        const result = await loadIdentity(settings({ nodeId: '!1234abcd', privateKey: key }), host);
        expect(result.ok && result.identity.id).to.equal('!1234abcd');
        expect(result.ok && Buffer.from(result.identity.privateKey).toString('base64')).to.equal(key);
        expect(host.writes).to.equal(0);

        // A stored identity exists, the settings name another node id: the settings win, the stored key is kept.
        await loadIdentity(settings(), host);
        const storedId = host.objects.get(IDENTITY_OBJECT_ID)?.nodeId;
        const configured = await loadIdentity(settings({ nodeId: '!0badf00d' }), host);
        expect(configured.ok && configured.identity.id).to.equal('!0badf00d');
        expect(configured.ok && configured.created).to.deep.equal([]);
        expect(host.objects.get(IDENTITY_OBJECT_ID)?.nodeId).to.equal(storedId);
    });

    it('stores only the part it generated', async () => {
        const host = fakeHost();
        const result = await loadIdentity(settings({ nodeId: '!1234abcd' }), host);
        expect(result.ok && result.created).to.deep.equal(['key pair']);
        expect(host.objects.get(IDENTITY_OBJECT_ID)).to.have.keys('privateKey');
    });

    it('never replaces a stored key it cannot read', async () => {
        const host = fakeHost();
        host.objects.set(IDENTITY_OBJECT_ID, { nodeId: '!1234abcd', privateKey: '$/aes-192-cbc:00:00' });
        const result = await loadIdentity(settings(), host);
        expect(result.ok).to.equal(false);
        expect(host.writes).to.equal(0);
        host.decrypt = () => 'not a key';
        const garbled = await loadIdentity(settings(), host);
        expect(garbled.ok).to.equal(false);
        expect(garbled.ok || garbled.error).to.match(/private key/);
        expect(host.writes).to.equal(0);
    });
});
