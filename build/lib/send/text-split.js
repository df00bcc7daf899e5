"use strict";
/**
 * Splits a text into parts that each fit one Meshtastic packet.
 *
 * A `Data.payload` may hold at most 233 bytes; the default of 200 leaves room for the Data framing (portnum,
 * bitfield, reply id, emoji). Parts are cut on grapheme boundaries where possible (an emoji with skin tone or a
 * ZWJ family stays whole), otherwise on code-point boundaries, so every part is valid UTF-8 on its own.
 * A cut prefers the end of the last whitespace in the part, as long as that keeps the part at least half full.
 * The parts joined give back the input exactly (whitespace stays at the end of the part before the cut).
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_PAYLOAD_BYTES = exports.DEFAULT_MAX_PARTS = exports.DEFAULT_MAX_PART_BYTES = void 0;
exports.utf8Length = utf8Length;
exports.splitText = splitText;
exports.DEFAULT_MAX_PART_BYTES = 200;
exports.DEFAULT_MAX_PARTS = 8;
/** Data.payload limit of the firmware (`meshtastic_Constants_DATA_PAYLOAD_LEN`). */
exports.MAX_PAYLOAD_BYTES = 233;
/** UTF-8 size of a string as it will be sent (a lone surrogate becomes U+FFFD, 3 bytes — same as TextEncoder). */
function utf8Length(text) {
    return Buffer.byteLength(text, 'utf8');
}
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const WHITESPACE = /^\s+$/u;
/** Graphemes of the text; a grapheme larger than maxBytes (absurd ZWJ chains) is broken into its code points. */
function units(text, maxBytes) {
    const result = [];
    for (const { segment } of graphemeSegmenter.segment(text)) {
        if (utf8Length(segment) <= maxBytes) {
            result.push(segment);
        }
        else {
            // for..of over a string iterates code points, never halves of a surrogate pair
            for (const codePoint of segment) {
                result.push(codePoint);
            }
        }
    }
    return result;
}
/**
 * Splits `text` into parts of at most `maxBytes` UTF-8 bytes. An empty text gives no parts.
 * Fails (without partial result) when more than `maxParts` parts would be needed.
 */
function splitText(text, options = {}) {
    const maxBytes = Math.floor(options.maxBytes ?? exports.DEFAULT_MAX_PART_BYTES);
    const maxParts = Math.floor(options.maxParts ?? exports.DEFAULT_MAX_PARTS);
    if (!(maxBytes >= 4 && maxBytes <= exports.MAX_PAYLOAD_BYTES)) {
        // 4 bytes is the largest code point: anything smaller could not make progress
        return { ok: false, error: `part size must be between 4 and ${exports.MAX_PAYLOAD_BYTES} bytes` };
    }
    if (!(maxParts >= 1)) {
        return { ok: false, error: 'at least one part must be allowed' };
    }
    const totalBytes = utf8Length(text);
    if (totalBytes <= maxBytes) {
        return { ok: true, parts: text === '' ? [] : [text] };
    }
    const tooLong = () => ({
        ok: false,
        error: `text too long: ${totalBytes} bytes need more than ${maxParts} parts of ${maxBytes} bytes`,
    });
    // every part holds at most maxBytes: reject before segmenting megabytes of text
    if (totalBytes > maxBytes * maxParts) {
        return tooLong();
    }
    const parts = [];
    let current = '';
    let currentBytes = 0;
    // position (UTF-16 index and bytes) right after the last whitespace in `current`; -1 = none
    let breakIndex = -1;
    let breakBytes = 0;
    for (const unit of units(text, maxBytes)) {
        const unitBytes = utf8Length(unit);
        while (currentBytes > 0 && currentBytes + unitBytes > maxBytes) {
            if (breakIndex > 0 && breakIndex < current.length && breakBytes * 2 >= maxBytes) {
                parts.push(current.slice(0, breakIndex));
                current = current.slice(breakIndex);
                currentBytes -= breakBytes;
            }
            else {
                parts.push(current);
                current = '';
                currentBytes = 0;
            }
            // the rest after a whitespace cut holds no whitespace (the cut was at the last one)
            breakIndex = -1;
            breakBytes = 0;
            if (parts.length > maxParts) {
                return tooLong();
            }
        }
        current += unit;
        currentBytes += unitBytes;
        if (WHITESPACE.test(unit)) {
            breakIndex = current.length;
            breakBytes = currentBytes;
        }
    }
    if (current !== '') {
        parts.push(current);
    }
    return parts.length > maxParts ? tooLong() : { ok: true, parts };
}
