"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.m = exports.command = exports.bool = exports.str = exports.num = void 0;
exports.common = common;
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
