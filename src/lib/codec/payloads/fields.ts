/** Field helpers shared by the payload decoders: enum names, UTF-8 text, NUL padding, protobuf coordinates. */

/** Invalid UTF-8 becomes U+FFFD instead of throwing (nodes send truncated multi-byte text). */
const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/** Name of a numeric enum value, or the number as a string when the bundled protobufs do not know it. */
export function enumName(enumObject: object, value: number): string {
    const name: unknown = (enumObject as Record<number, unknown>)[value];
    return typeof name === 'string' ? name : String(value);
}

/** UTF-8 text; invalid sequences are replaced, never thrown. */
export function decodeText(bytes: Uint8Array): string {
    return utf8Decoder.decode(bytes);
}

/** TEXT_MESSAGE_APP payload (and every other text port). */
export function encodeText(text: string): Uint8Array {
    return utf8Encoder.encode(text);
}

/** Firmware leaks fixed-size C buffers into names (NUL padding); NULs are never meaningful in a name. */
export function stripNul(text: string): string {
    return text.includes('\0') ? text.replace(/\0/g, '') : text;
}

/** Degrees from a protobuf `*_i` coordinate (1e-7 degrees). */
export function degrees(value: number): number {
    // Division (not × 1e-7) keeps results like -82.82174 free of representation noise.
    return value / 1e7;
}
