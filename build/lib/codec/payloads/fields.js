"use strict";
/** Field helpers shared by the payload decoders: enum names, UTF-8 text, NUL padding, protobuf coordinates. */
Object.defineProperty(exports, "__esModule", { value: true });
exports.enumName = enumName;
exports.decodeText = decodeText;
exports.encodeText = encodeText;
exports.stripNul = stripNul;
exports.degrees = degrees;
/** Invalid UTF-8 becomes U+FFFD instead of throwing (nodes send truncated multi-byte text). */
const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();
/** Name of a numeric enum value, or the number as a string when the bundled protobufs do not know it. */
function enumName(enumObject, value) {
    const name = enumObject[value];
    return typeof name === 'string' ? name : String(value);
}
/** UTF-8 text; invalid sequences are replaced, never thrown. */
function decodeText(bytes) {
    return utf8Decoder.decode(bytes);
}
/** TEXT_MESSAGE_APP payload (and every other text port). */
function encodeText(text) {
    return utf8Encoder.encode(text);
}
/** Firmware leaks fixed-size C buffers into names (NUL padding); NULs are never meaningful in a name. */
function stripNul(text) {
    return text.includes('\0') ? text.replace(/\0/g, '') : text;
}
/** Degrees from a protobuf `*_i` coordinate (1e-7 degrees). */
function degrees(value) {
    // Division (not × 1e-7) keeps results like -82.82174 free of representation noise.
    return value / 1e7;
}
