import { expect } from 'chai';
import fc from 'fast-check';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { normaliseConfig } from './normalise';
import { loadSecrets, readSecrets, tableCipher, type SecretCrypto } from './secrets';

/** js-controller's encrypt/decrypt as they behave: aes-192-cbc with a 48-hex secret, else the XOR scheme. */
function controllerCrypto(secret: string): SecretCrypto {
    const hex = /^[0-9a-f]{48}$/.test(secret);
    return {
        secret,
        encrypt: value => {
            if (!hex) {
                return tableCipher(secret, value);
            }
            const iv = randomBytes(16);
            const cipher = createCipheriv('aes-192-cbc', Buffer.from(secret, 'hex'), iv);
            return `$/aes-192-cbc:${iv.toString('hex')}:${Buffer.concat([cipher.update(value), cipher.final()]).toString('hex')}`;
        },
        decrypt: value => {
            if (!value.startsWith('$/aes-192-cbc:') || !hex) {
                return tableCipher(secret, value);
            }
            const [, iv, data] = value.split(':', 3);
            const decipher = createDecipheriv('aes-192-cbc', Buffer.from(secret, 'hex'), Buffer.from(iv, 'hex'));
            return Buffer.concat([decipher.update(Buffer.from(data, 'hex')), decipher.final()]).toString();
        },
    };
}

const SECRET = 'f3a9c2b1d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607';
const crypto = controllerCrypto(SECRET);
const xor = (value: string): string => tableCipher(SECRET, value);
const key32 = Buffer.alloc(32, 0x5a).toString('base64');
const key16 = Buffer.alloc(16, 0x33).toString('base64');
const privateKey = Buffer.alloc(32, 0x11).toString('base64');

/** The stored native after the reseal was written, and what the second start finds. */
function secondStart(stored: Record<string, unknown>): ReturnType<typeof readSecrets> {
    const first = readSecrets(stored, crypto);
    return readSecrets({ ...stored, ...first.reseal }, crypto);
}

describe('secrets: channel keys', () => {
    it('decrypts keys admin stored encrypted and keeps plain defaults', () => {
        const { values } = readSecrets(
            {
                channels: [
                    { name: 'LongFast', psk: 'AQ==' },
                    { name: 'Private', psk: xor(key32) },
                ],
            },
            crypto,
        );
        const result = normaliseConfig(values);
        expect(result.ok).to.equal(true);
        const config = result.ok ? result.config : undefined;
        expect(Buffer.from(config?.channels[0].key ?? []).toString('hex')).to.equal('d4f1bb3a20290759f0bcffabcf4e6901');
        expect(Buffer.from(config?.channels[1].key ?? []).toString('base64')).to.equal(key32);
    });

    it('leaves rows without a key alone', () => {
        expect(readSecrets({ channels: [{ name: 'A' }, null] }, crypto).values.channels).to.deep.equal([
            { name: 'A' },
            null,
        ]);
    });

    it('encrypts plain custom keys in the form scheme, keeps encrypted and public ones, finds nothing the second time', () => {
        const stored = {
            channels: [
                { name: 'LongFast', psk: 'AQ==' },
                { name: 'A', psk: key32 },
                { name: 'B', psk: xor(key16) },
                { name: 'None', psk: '' },
            ],
        };
        const first = readSecrets(stored, crypto);
        expect(first.reseal?.channels).to.deep.equal([
            { name: 'LongFast', psk: 'AQ==' },
            { name: 'A', psk: xor(key32) },
            { name: 'B', psk: xor(key16) },
            { name: 'None', psk: '' },
        ]);
        expect(first.fixed).to.deep.equal(['channels[2].psk (plain text)']);
        expect(JSON.stringify(first.reseal)).not.to.include(key32);
        const second = secondStart(stored);
        expect(second.reseal, 'no restart loop').to.equal(undefined);
        expect((second.values.channels as { psk: string }[]).map(c => c.psk)).to.deep.equal(['AQ==', key32, key16, '']);
    });

    it('stores an aes-encrypted key (written by an earlier version) in the scheme admin shows decrypted', () => {
        const stored = { channels: [{ name: 'A', psk: crypto.encrypt(key16) }] };
        const first = readSecrets(stored, crypto);
        expect(first.reseal?.channels).to.deep.equal([{ name: 'A', psk: xor(key16) }]);
        // admin's table shows xor(stored): the key itself
        expect(xor((first.reseal?.channels as { psk: string }[])[0].psk)).to.equal(key16);
        expect(secondStart(stored).reseal).to.equal(undefined);
    });
});

describe('secrets: password and private key', () => {
    it('finds a plain password and private key, and stores them with encrypt()', () => {
        const stored = { pass: 'plain-Pass-1', privateKey };
        const first = readSecrets(stored, crypto);
        expect(first.values).to.include({ pass: 'plain-Pass-1', privateKey });
        expect(first.fixed).to.deep.equal(['pass (plain text)', 'privateKey (plain text)']);
        expect(first.reseal?.pass).to.match(/^\$\/aes-192-cbc:/);
        expect(crypto.decrypt(first.reseal?.pass as string)).to.equal('plain-Pass-1');
        expect(crypto.decrypt(first.reseal?.privateKey as string)).to.equal(privateKey);
        const second = secondStart(stored);
        expect(second.reseal).to.equal(undefined);
        expect(second.values).to.include({ pass: 'plain-Pass-1', privateKey });
    });

    it('upgrades the XOR scheme to aes and keeps its meaning; leaves aes alone', () => {
        const legacy = readSecrets({ pass: xor('s3cret-pass') }, crypto);
        expect(legacy.values.pass).to.equal('s3cret-pass');
        expect(legacy.fixed).to.deep.equal(['pass (older encryption)']);
        const aes = readSecrets(
            { pass: crypto.encrypt('s3cret-pass'), privateKey: crypto.encrypt(privateKey) },
            crypto,
        );
        expect(aes.reseal).to.equal(undefined);
        expect(aes.values).to.include({ pass: 's3cret-pass', privateKey });
    });

    it('on a system with a non-hex secret, the XOR scheme is what encrypt() writes: nothing to upgrade', () => {
        const old = controllerCrypto('Zgfr56gFe87jJOM');
        const result = readSecrets({ pass: tableCipher('Zgfr56gFe87jJOM', 'pw-of-old') }, old);
        expect(result.values.pass).to.equal('pw-of-old');
        expect(result.reseal).to.equal(undefined);
    });

    it('leaves what it cannot decrypt to js-controller and writes nothing', () => {
        const other = controllerCrypto(randomBytes(24).toString('hex'));
        const result = readSecrets({ pass: other.encrypt('x') }, crypto);
        expect(result.values).not.to.have.property('pass');
        expect(result.reseal).to.equal(undefined);
    });

    it('never writes twice, whatever is stored (random secrets, passwords, keys, plain or encrypted)', () => {
        const text = fc.string({ minLength: 1, maxLength: 40 });
        const key = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(b => Buffer.from(b).toString('base64'));
        const psk = fc.oneof(
            fc.constantFrom('', 'AQ==', 'AA=='),
            fc.uint8Array({ minLength: 16, maxLength: 16 }).map(b => Buffer.from(b).toString('base64')),
            key,
        );
        const secret = fc.oneof(
            fc.uint8Array({ minLength: 24, maxLength: 24 }).map(b => Buffer.from(b).toString('hex')),
            fc.constant('Zgfr56gFe87jJOM'),
        );
        const how = fc.constantFrom('plain', 'encrypted');
        fc.assert(
            fc.property(secret, text, key, psk, how, how, (s, pass, pk, channelKey, howPass, howKey) => {
                const c = controllerCrypto(s);
                const stored = {
                    pass: howPass === 'plain' ? pass : c.encrypt(pass),
                    privateKey: howKey === 'plain' ? pk : c.encrypt(pk),
                    channels: [{ name: 'A', psk: howKey === 'plain' ? channelKey : tableCipher(s, channelKey) }],
                };
                const first = readSecrets(stored, c);
                const second = readSecrets({ ...stored, ...first.reseal }, c);
                expect(second.reseal).to.equal(undefined);
                expect(second.values).to.deep.equal(first.values);
                // the private key and a channel key always resolve to themselves
                expect(first.values.privateKey).to.equal(pk);
                expect((first.values.channels as { psk: string }[])[0].psk).to.equal(channelKey);
            }),
            { numRuns: 2000 },
        );
    });
});

describe('secrets: loadSecrets', () => {
    it('writes the reseal once into the instance object', async () => {
        let native: Record<string, unknown> = { pass: 'plain-Pass-1', channels: [{ name: 'A', psk: key32 }] };
        let writes = 0;
        const host = {
            readInstanceObject: () => Promise.resolve({ native }),
            writeInstanceNative: (fields: Record<string, unknown>) => {
                writes++;
                native = { ...native, ...fields };
                return Promise.resolve();
            },
            readSystemSecret: () => Promise.resolve(SECRET),
            encrypt: crypto.encrypt,
            decrypt: crypto.decrypt,
        };
        const first = await loadSecrets(host);
        expect(first.fixed).to.have.length(2);
        expect(JSON.stringify(native)).not.to.include(key32).and.not.to.include('plain-Pass-1');
        const second = await loadSecrets(host);
        expect(second.fixed).to.deep.equal([]);
        expect(writes).to.equal(1);
        expect(second.values).to.deep.equal(first.values);
        host.writeInstanceNative = () => Promise.reject(new Error('db gone'));
        native = { pass: 'plain-Pass-2' };
        const failed = await loadSecrets(host);
        expect(failed.values?.pass, 'still used').to.equal('plain-Pass-2');
        expect(failed.writeError).to.include('db gone');
    });
});
