"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.cleanFloat = cleanFloat;
exports.cleanDegrees = cleanDegrees;
exports.json = json;
exports.senderLabel = senderLabel;
exports.displayText = displayText;
exports.nodeDisplayName = nodeDisplayName;
exports.usable = usable;
const util_1 = require("../../mesh/util");
/** Float32 fields arrive as e.g. 3.700000047683716; 7 significant digits is all a float32 holds. */
function cleanFloat(value) {
    return Number.isInteger(value) ? value : Number(value.toPrecision(7));
}
/** Coordinates are 1e-7 degree integers on the wire. */
function cleanDegrees(value) {
    return value === undefined ? undefined : Math.round(value * 1e7) / 1e7;
}
function json(value) {
    return JSON.stringify(value);
}
function senderLabel(message) {
    return message.fromName && message.fromName !== message.fromId
        ? `${message.fromName} (${message.fromId})`
        : message.fromId;
}
/** Display text from user data: no control characters, trimmed, bounded. */
function displayText(text, max = 100) {
    // eslint-disable-next-line no-control-regex
    const cleaned = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
    return Array.from(cleaned).slice(0, max).join('');
}
/** `<long name> (!hex)`, or `!hex` while no name is known. */
function nodeDisplayName(node) {
    const id = `!${node.hex}`;
    const longName = node.user ? displayText(node.user.longName) : '';
    return longName ? `${longName} (${id})` : id;
}
/** A value worth a state: defined, and finite if a number. */
function usable(value) {
    return value !== undefined && (typeof value !== 'number' || (0, util_1.finite)(value) !== undefined);
}
