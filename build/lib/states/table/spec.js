"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.m = exports.button = exports.command = exports.bool = exports.str = exports.num = void 0;
exports.common = common;
exports.jsonEvent = jsonEvent;
const values_1 = require("./values");
// ---- Shorthands ----------------------------------------------------------------------------------------------
function common(name, type, role, unit, states) {
    const c = { name, type, role, read: true, write: false };
    if (unit !== undefined) {
        c.unit = unit;
    }
    if (states !== undefined) {
        c.states = states;
    }
    return c;
}
const num = (name, role, unit) => common(name, 'number', role, unit);
exports.num = num;
const str = (name, role) => common(name, 'string', role);
exports.str = str;
const bool = (name, role) => common(name, 'boolean', role);
exports.bool = bool;
/** A writable string state (commands written by the user with ack=false). */
const command = (name, role) => ({
    ...common(name, 'string', role),
    write: true,
});
exports.command = command;
/** A write-only button (role `button`, written true with ack=false; the adapter confirms with ack=true). */
const button = (name) => ({
    ...common(name, 'boolean', 'button'),
    read: false,
    write: true,
});
exports.button = button;
/** An event-like JSON state (role `json`): the input as JSON, written on every update even when it repeats. */
function jsonEvent(id, name) {
    return { id, common: (0, exports.str)(name, 'json'), event: true, get: input => (0, values_1.json)(input) };
}
/** Metric spec shorthand. */
const m = (name, role, unit, convert, invert) => {
    const spec = { name, role };
    if (unit !== undefined) {
        spec.unit = unit;
    }
    if (convert !== undefined) {
        spec.convert = convert;
    }
    if (invert !== undefined) {
        spec.invert = invert;
    }
    return spec;
};
exports.m = m;
