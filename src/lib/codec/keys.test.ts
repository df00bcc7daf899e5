import { expect } from 'chai';
import fc from 'fast-check';
import {
    channelHash,
    DEFAULT_PSK,
    defaultKeyChannels,
    expandPsk,
    KeyRing,
    makeChannelKey,
    parsePsk,
    presetChannelNames,
} from './keys';
import { hex, primitive, vectorFile } from './vectors.test';

function psk(base64: string): Uint8Array {
    const parsed = parsePsk(base64);
    if (!parsed.ok) {
        expect.fail(`parsePsk(${base64}) failed: ${parsed.message}`);
    }
    return parsed.value;
}

function pskError(base64: string): string {
    const parsed = parsePsk(base64);
    expect(parsed.ok, base64).to.equal(false);
    return parsed.ok ? '' : parsed.message;
}

describe('codec/keys', () => {
    describe('parsePsk', () => {
        it('expands AQ== to the firmware default key', () => {
            expect(hex(DEFAULT_PSK)).to.equal(vectorFile.default_psk.expanded_hex);
            expect(hex(psk('AQ=='))).to.equal(vectorFile.default_psk.expanded_hex);
            expect(Buffer.from(psk('AQ==')).toString('base64')).to.equal(vectorFile.default_psk.expanded_base64);
        });

        it('accepts missing padding, URL-safe alphabet and surrounding whitespace', () => {
            expect(hex(psk('AQ'))).to.equal(hex(DEFAULT_PSK));
            expect(hex(psk('  AQ==\n'))).to.equal(hex(DEFAULT_PSK));
            const key = new Uint8Array(32).map((_, i) => (i * 37 + 250) & 0xff);
            const standard = Buffer.from(key).toString('base64');
            const urlSafe = Buffer.from(key).toString('base64url');
            expect(standard).to.match(/[+/]/);
            expect(hex(psk(urlSafe))).to.equal(hex(key));
            expect(hex(psk(standard))).to.equal(hex(key));
        });

        it('maps empty and AA== to no encryption', () => {
            expect(psk('')).to.have.length(0);
            expect(psk('   ')).to.have.length(0);
            expect(psk('AA==')).to.have.length(0);
        });

        it('maps single bytes to the default key with the last byte replaced', () => {
            expect(hex(psk('Ag=='))).to.equal('d4f1bb3a20290759f0bcffabcf4e6902');
            expect(hex(psk('Cg=='))).to.equal('d4f1bb3a20290759f0bcffabcf4e690a');
            expect(hex(psk('/w=='))).to.equal('d4f1bb3a20290759f0bcffabcf4e69ff');
        });

        it('pads short keys to AES-128 and mid-length keys to AES-256', () => {
            const two = psk(Buffer.from([1, 2]).toString('base64'));
            expect(hex(two)).to.equal(`0102${'00'.repeat(14)}`);
            expect(psk(Buffer.alloc(15, 9).toString('base64'))).to.have.length(16);
            expect(psk(Buffer.alloc(16, 9).toString('base64'))).to.have.length(16);
            const seventeen = psk(Buffer.alloc(17, 9).toString('base64'));
            expect(hex(seventeen)).to.equal(`${'09'.repeat(17)}${'00'.repeat(15)}`);
            expect(psk(Buffer.alloc(31, 9).toString('base64'))).to.have.length(32);
            expect(psk(Buffer.alloc(32, 9).toString('base64'))).to.have.length(32);
        });

        it('rejects garbage, bad padding and keys over 32 bytes without echoing the key', () => {
            expect(pskError('not base64!')).to.contain('not base64');
            expect(pskError('A')).to.contain('wrong length');
            expect(pskError('AQ=')).to.contain('wrong length');
            expect(pskError('AQ===')).to.contain('not base64');
            expect(pskError('A=Q=')).to.contain('not base64');
            const long = Buffer.alloc(33, 1).toString('base64');
            const message = pskError(long);
            expect(message).to.contain('33 bytes');
            expect(message).to.not.contain(long);
            expect(parsePsk(42 as unknown as string).ok).to.equal(false);
        });

        it('accepts every base64 encoding of 0..32 bytes', () => {
            fc.assert(
                fc.property(fc.uint8Array({ maxLength: 32 }), fc.boolean(), (raw, urlSafe) => {
                    const text = Buffer.from(raw).toString(urlSafe ? 'base64url' : 'base64');
                    const parsed = parsePsk(text);
                    expect(parsed.ok).to.equal(true);
                    if (parsed.ok) {
                        expect(hex(parsed.value)).to.equal(hex(expandPsk(raw) ?? new Uint8Array()));
                        expect([0, 16, 32]).to.include(parsed.value.length);
                    }
                }),
            );
        });
    });

    describe('channelHash', () => {
        it('is 8 for LongFast with AQ==', () => {
            const p = primitive('longfast_hash');
            expect(channelHash(String(p.channel), psk(String(p.key_base64)))).to.equal(p.hash);
        });

        it('matches the default-PSK hash table for every preset name', () => {
            for (const [name, hash] of Object.entries(vectorFile.channel_hash_default_psk)) {
                expect(channelHash(name, DEFAULT_PSK), name).to.equal(hash);
            }
        });

        it('matches the spec for LongFast with the other simple PSKs', () => {
            const table: Record<string, number> = {
                'AA==': 10,
                'Ag==': 11,
                'Aw==': 10,
                'BA==': 13,
                'BQ==': 12,
                'Bg==': 15,
                'Bw==': 14,
                'CA==': 1,
                'CQ==': 0,
                'Cg==': 3,
            };
            for (const [key, hash] of Object.entries(table)) {
                expect(channelHash('LongFast', psk(key)), key).to.equal(hash);
            }
        });

        it('uses the UTF-8 bytes of the name', () => {
            expect(channelHash('é', new Uint8Array(0))).to.equal(0xc3 ^ 0xa9);
        });
    });

    describe('KeyRing', () => {
        it('indexes channels by hash (collisions keep configuration order) and by name', () => {
            const ring = new KeyRing([
                { name: 'LongFast', key: DEFAULT_PSK },
                { name: 'TinyFast', key: new Uint8Array([1]) },
                { name: 'Private', key: new Uint8Array(32).fill(1) },
                { name: 'LongFast', key: new Uint8Array(0) },
            ]);
            expect(ring.size).to.equal(4);
            expect(ring.candidates(8).map(c => c.name)).to.deep.equal(['LongFast', 'TinyFast']);
            expect(ring.candidates(8)[1].key).to.deep.equal(DEFAULT_PSK);
            expect(ring.candidates(200)).to.deep.equal([]);
            expect(ring.candidates(-1)).to.deep.equal([]);
            expect(ring.candidates(256)).to.deep.equal([]);
            expect(ring.candidates(1.5)).to.deep.equal([]);
            expect(ring.byName('LongFast')?.key).to.deep.equal(DEFAULT_PSK);
            expect(ring.byName('Private')?.key).to.have.length(32);
            expect(ring.byName('longfast')).to.equal(undefined);
            expect(ring.channels[3].keystream).to.equal(undefined);
        });

        it('builds default-key channels for every preset name', () => {
            const ring = new KeyRing(defaultKeyChannels());
            expect(ring.size).to.equal(presetChannelNames.length);
            for (const name of presetChannelNames) {
                expect(ring.byName(name)?.hash, name).to.equal(vectorFile.channel_hash_default_psk[name]);
            }
            expect(defaultKeyChannels(['A'])).to.deep.equal([{ name: 'A', key: DEFAULT_PSK }]);
        });

        it('refuses keys longer than 32 bytes', () => {
            expect(() => new KeyRing([{ name: 'x', key: new Uint8Array(33) }])).to.throw(RangeError);
            expect(() => makeChannelKey('x', new Uint8Array(40))).to.throw(RangeError);
            expect(expandPsk(new Uint8Array(33))).to.equal(undefined);
        });
    });
});
