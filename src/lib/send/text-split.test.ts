import { expect } from 'chai';
import fc from 'fast-check';
import { splitText, utf8Length } from './text-split';

function parts(text: string, maxBytes?: number, maxParts?: number): string[] {
    const result = splitText(text, { maxBytes, maxParts });
    if (!result.ok) {
        throw new Error(result.error);
    }
    return result.parts;
}

/** Encodes and decodes strictly: throws on bytes that are not valid UTF-8. */
function strictUtf8RoundTrip(text: string): string {
    return new TextDecoder('utf-8', { fatal: true }).decode(new TextEncoder().encode(text));
}

describe('send/text-split', () => {
    it('keeps a short text in one part and gives no part for an empty text', () => {
        expect(parts('hello mesh')).to.deep.equal(['hello mesh']);
        expect(parts('')).to.deep.equal([]);
        const exact = 'x'.repeat(200);
        expect(parts(exact)).to.deep.equal([exact]);
    });

    it('cuts after the last whitespace when that keeps the part at least half full', () => {
        const text = `${'a'.repeat(15)} ${'b'.repeat(10)}`; // 26 bytes
        expect(parts(text, 20)).to.deep.equal([`${'a'.repeat(15)} `, 'b'.repeat(10)]);
        const words = 'the quick brown fox jumps over the lazy dog';
        const split = parts(words, 16);
        expect(split.join('')).to.equal(words);
        for (const part of split.slice(0, -1)) {
            expect(part.endsWith(' '), JSON.stringify(part)).to.equal(true);
        }
    });

    it('hard-cuts a long word instead of making tiny parts', () => {
        const text = `ab ${'c'.repeat(30)}`;
        // the only whitespace is 3 bytes into a 10-byte part: less than half, so cut at the byte limit
        expect(parts(text, 10)).to.deep.equal(['ab ccccccc', 'cccccccccc', 'cccccccccc', 'ccc']);
    });

    it('never splits a multi-byte character or a surrogate pair', () => {
        const cjk = '漢字'.repeat(10); // 3 bytes each, 60 bytes
        const cjkParts = parts(cjk, 10);
        expect(cjkParts.every(p => utf8Length(p) <= 10)).to.equal(true);
        expect(cjkParts[0]).to.equal('漢字漢'); // 9 bytes, the 4th char would make 12
        expect(cjkParts.join('')).to.equal(cjk);

        const emoji = '😀'.repeat(7); // 4 bytes each, surrogate pairs in UTF-16
        const emojiParts = parts(emoji, 10);
        expect(emojiParts).to.deep.equal(['😀😀', '😀😀', '😀😀', '😀']);
    });

    it('keeps a grapheme (ZWJ family, skin tone, flag) whole when it fits', () => {
        const family = '👨‍👩‍👧'; // 18 bytes, 5 code points
        const text = `ab${family}`;
        expect(parts(text, 18)).to.deep.equal(['ab', family]);
        const thumbs = '👍🏽'; // 8 bytes
        expect(parts(`x${thumbs}${thumbs}`, 10)).to.deep.equal([`x${thumbs}`, thumbs]);
    });

    it('breaks a grapheme larger than a part at code points', () => {
        const family = '👨‍👩‍👧'; // 18 bytes
        const split = parts(family, 8);
        expect(split.join('')).to.equal(family);
        expect(split.every(p => utf8Length(p) <= 8)).to.equal(true);
    });

    it('fails with "too long" instead of returning part of the text', () => {
        const result = splitText('x'.repeat(1601), { maxBytes: 200, maxParts: 8 });
        expect(result.ok).to.equal(false);
        expect(!result.ok && result.error).to.match(/too long/);
        expect(splitText('x'.repeat(1600), { maxBytes: 200, maxParts: 8 }).ok).to.equal(true);
        // whitespace cuts can need more parts than bytes/limit suggests
        const spaced = `${'a'.repeat(150)} `.repeat(9); // 9 × 151 bytes: 9 parts
        expect(splitText(spaced, { maxBytes: 200, maxParts: 8 }).ok).to.equal(false);
        expect(parts(spaced, 200, 9)).to.have.length(9);
    });

    it('rejects nonsensical limits', () => {
        expect(splitText('abc', { maxBytes: 3 }).ok).to.equal(false);
        expect(splitText('abc', { maxBytes: 234 }).ok).to.equal(false);
        expect(splitText('abc', { maxParts: 0 }).ok).to.equal(false);
    });

    it('property: parts join to the input, fit the limit, are valid UTF-8 and respect maxParts', () => {
        const text = fc.oneof(
            fc.string({ unit: 'grapheme', maxLength: 300 }),
            fc.string({ unit: 'binary', maxLength: 300 }),
            fc
                .array(fc.constantFrom('a', ' ', 'é', '漢', '😀', '👍🏽', '👨‍👩‍👧', '\n', '\u0301', '\u200d'), {
                    maxLength: 200,
                })
                .map(chars => chars.join('')),
        );
        fc.assert(
            fc.property(
                text,
                fc.integer({ min: 4, max: 233 }),
                fc.integer({ min: 1, max: 12 }),
                (input, max, count) => {
                    const result = splitText(input, { maxBytes: max, maxParts: count });
                    if (!result.ok) {
                        // only legitimately too long texts fail
                        expect(utf8Length(input)).to.be.greaterThan(max);
                        expect(result.error).to.match(/too long/);
                        return;
                    }
                    expect(result.parts.join('')).to.equal(input);
                    expect(result.parts.length).to.be.at.most(count);
                    let cut = 0;
                    for (const part of result.parts) {
                        expect(part.length).to.be.greaterThan(0);
                        expect(utf8Length(part)).to.be.at.most(max);
                        cut += part.length;
                        // no cut falls between the two halves of a surrogate pair
                        const splitsPair =
                            /[\ud800-\udbff]/.test(input[cut - 1]) && /[\udc00-\udfff]/.test(input[cut] ?? '');
                        expect(splitsPair, `cut at ${cut}`).to.equal(false);
                    }
                    if (!/[\ud800-\udfff]/.test(input.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) {
                        // well-formed input: every part is well-formed UTF-8 on its own
                        for (const part of result.parts) {
                            expect(strictUtf8RoundTrip(part)).to.equal(part);
                        }
                    }
                },
            ),
            { numRuns: 250 },
        );
    });

    it('property: a text that fits maxParts × maxBytes without whitespace always splits', () => {
        fc.assert(
            fc.property(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 400 }), input => {
                const noSpace = input.replace(/\s/g, 'x');
                const result = splitText(noSpace, { maxBytes: 50, maxParts: 8 });
                expect(result.ok).to.equal(true);
            }),
        );
    });
});
