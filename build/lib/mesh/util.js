"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.nodeIdOf = exports.MAX_TEXT = exports.MAX_CHANNEL_NAME = exports.MAX_LABEL = exports.MAX_SHORT_NAME = exports.MAX_LONG_NAME = exports.BROADCAST_NO_LORA_NUM = exports.BROADCAST_NUM = void 0;
exports.hexOf = hexOf;
exports.parseNodeId = parseNodeId;
exports.isRealNodeNum = isRealNodeNum;
exports.isBroadcast = isBroadcast;
exports.sanitizeLabel = sanitizeLabel;
exports.sanitizeText = sanitizeText;
exports.finite = finite;
exports.shallowEqual = shallowEqual;
/**
 * Small pure helpers of the mesh model: node ids and sanitising of strings that come from the mesh.
 * Everything a node sends about itself (names, hardware, firmware) is data: it is cleaned and capped here
 * and never used to build an id.
 */
const encoder_1 = require("../codec/encoder");
/** Broadcast destinations: `0xFFFFFFFF` (all) and `1` (NODENUM_BROADCAST_NO_LORA, MQTT-only broadcast). */
exports.BROADCAST_NUM = 0xffffffff;
exports.BROADCAST_NO_LORA_NUM = 1;
exports.MAX_LONG_NAME = 40;
exports.MAX_SHORT_NAME = 8;
/** Hardware model, role, firmware, region, modem preset. */
exports.MAX_LABEL = 32;
exports.MAX_CHANNEL_NAME = 32;
/** Text messages are ≤ 233 bytes on the wire; this only guards against a hostile decoder input. */
exports.MAX_TEXT = 1000;
/** 8 lowercase hex digits of a node number. */
function hexOf(num) {
    return (num >>> 0).toString(16).padStart(8, '0');
}
/** `!xxxxxxxx` of a node number (the codec's formatting, so both layers always agree). */
exports.nodeIdOf = encoder_1.nodeIdString;
/** Parses a `!xxxxxxxx` gateway id (case-insensitive); anything else is undefined. */
function parseNodeId(id) {
    if (id.length !== 9 || id.charCodeAt(0) !== 0x21 /* ! */) {
        return undefined;
    }
    const hex = id.slice(1);
    if (!/^[0-9a-fA-F]{8}$/.test(hex)) {
        return undefined;
    }
    return parseInt(hex, 16) >>> 0;
}
/** A node number that can be a real sender: not 0..3 (reserved) and not the broadcast address. */
function isRealNodeNum(num) {
    return Number.isInteger(num) && num > 3 && num < exports.BROADCAST_NUM;
}
function isBroadcast(to) {
    return to === exports.BROADCAST_NUM || to === exports.BROADCAST_NO_LORA_NUM;
}
// C0/C1 controls (NUL padding included), bidi overrides/isolates, zero-width and BOM characters.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
// Same, but keeps TAB, LF and CR, which are legitimate in message text.
// eslint-disable-next-line no-control-regex
const UNSAFE_TEXT_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/g;
/** Cuts to `max` code points without splitting a surrogate pair. */
function capCodePoints(text, max) {
    if (text.length <= max) {
        return text;
    }
    let out = '';
    let count = 0;
    for (const ch of text) {
        if (count === max) {
            break;
        }
        out += ch;
        count++;
    }
    return out;
}
/**
 * Cleans a label from the mesh (names, hardware model, firmware…): removes control characters, NUL padding,
 * bidi overrides and zero-width characters, collapses whitespace, trims, and caps to `max` code points.
 */
function sanitizeLabel(value, max) {
    if (typeof value !== 'string' || value.length === 0) {
        return '';
    }
    // Bound the work before the regexes run on a hostile multi-kilobyte string.
    const bounded = value.length > max * 4 ? value.slice(0, max * 4) : value;
    const cleaned = bounded.replace(UNSAFE_CHARS, ' ').replace(/\s+/g, ' ').trim();
    return capCodePoints(cleaned, max);
}
/** Cleans message text: removes control characters except TAB/LF/CR and bidi overrides, caps the length. */
function sanitizeText(value) {
    if (typeof value !== 'string' || value.length === 0) {
        return '';
    }
    const bounded = value.length > exports.MAX_TEXT * 4 ? value.slice(0, exports.MAX_TEXT * 4) : value;
    return capCodePoints(bounded.replace(UNSAFE_TEXT_CHARS, ''), exports.MAX_TEXT);
}
/** A finite number or undefined. */
function finite(value) {
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
/** Shallow equality of two plain records (own enumerable keys, `===` on values). */
function shallowEqual(a, b) {
    if (a === b) {
        return true;
    }
    if (a === undefined || b === undefined) {
        return false;
    }
    const ra = a;
    const rb = b;
    const ka = Object.keys(ra).filter(k => ra[k] !== undefined);
    const kb = Object.keys(rb).filter(k => rb[k] !== undefined);
    if (ka.length !== kb.length) {
        return false;
    }
    for (const k of ka) {
        const va = ra[k];
        const vb = rb[k];
        if (va === vb) {
            continue;
        }
        if (Array.isArray(va) && Array.isArray(vb)) {
            if (va.length !== vb.length || va.some((v, i) => v !== vb[i])) {
                return false;
            }
            continue;
        }
        return false;
    }
    return true;
}
