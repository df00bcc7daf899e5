"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FieldReader = void 0;
exports.parseNodeNum = parseNodeNum;
exports.readNodeList = readNodeList;
/** A short, safe description of a setting's value for an error message. */
function describe(value) {
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? `"${String(value).slice(0, 40)}"`
        : typeof value;
}
/** Collects problems while reading fields, so one pass reports every broken field at once. */
class FieldReader {
    native;
    errors = [];
    warnings = [];
    constructor(native) {
        this.native = native;
    }
    fail(field, message) {
        this.errors.push({ field, message });
    }
    warn(field, message) {
        this.warnings.push({ field, message });
    }
    string(field, fallback) {
        const value = this.native[field];
        if (value === undefined || value === null) {
            return fallback;
        }
        if (typeof value !== 'string' && typeof value !== 'number') {
            this.fail(field, `must be text, got ${typeof value}`);
            return fallback;
        }
        return String(value).trim();
    }
    bool(field, fallback) {
        const value = this.native[field];
        if (value === undefined || value === null || value === '') {
            return fallback;
        }
        if (typeof value === 'boolean') {
            return value;
        }
        if (value === 'true' || value === 1 || value === '1') {
            return true;
        }
        if (value === 'false' || value === 0 || value === '0') {
            return false;
        }
        this.fail(field, `must be true or false, got ${describe(value)}`);
        return fallback;
    }
    integer(field, fallback, min, max) {
        const value = this.native[field];
        if (value === undefined || value === null || value === '') {
            return fallback;
        }
        const num = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
        if (!Number.isInteger(num)) {
            this.fail(field, `must be a whole number, got ${describe(value)}`);
            return fallback;
        }
        if (num < min || num > max) {
            this.fail(field, `must be between ${min} and ${max}, got ${num}`);
            return fallback;
        }
        return num;
    }
    oneOf(field, allowed, fallback) {
        const value = this.string(field, fallback);
        if (value === '') {
            return fallback;
        }
        if (!allowed.includes(value)) {
            this.fail(field, `must be one of ${allowed.join(', ')}, got "${value}"`);
            return fallback;
        }
        return value;
    }
    raw(field) {
        return this.native[field];
    }
}
exports.FieldReader = FieldReader;
/** Parses `!a1b2c3d4`, `a1b2c3d4` or a decimal node number; undefined when it is none of these. */
function parseNodeNum(text) {
    const t = text.trim().toLowerCase();
    if (/^!?[0-9a-f]{8}$/.test(t)) {
        return parseInt(t.replace('!', ''), 16) >>> 0;
    }
    if (/^\d{1,10}$/.test(t)) {
        const n = Number(t);
        return n <= 0xffffffff ? n : undefined;
    }
    return undefined;
}
/** A list of node ids (`!a1b2c3d4`, separated by spaces, commas or semicolons); each bad entry is an error. */
function readNodeList(reader, field) {
    const result = new Set();
    const text = reader.string(field, '');
    for (const part of text.split(/[\s,;]+/).filter(Boolean)) {
        const num = parseNodeNum(part);
        if (num === undefined) {
            reader.fail(field, `"${part}" is not a node id (expected !a1b2c3d4)`);
        }
        else {
            result.add(num);
        }
    }
    return result;
}
