/** Reading `native` fields one by one, collecting every problem on the way (pure). */
import type { ConfigProblem } from './types';

/** A short, safe description of a setting's value for an error message. */
function describe(value: unknown): string {
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? `"${String(value).slice(0, 40)}"`
        : typeof value;
}

/** Collects problems while reading fields, so one pass reports every broken field at once. */
export class FieldReader {
    readonly errors: ConfigProblem[] = [];
    readonly warnings: ConfigProblem[] = [];

    constructor(private readonly native: Record<string, unknown>) {}

    fail(field: string, message: string): void {
        this.errors.push({ field, message });
    }

    warn(field: string, message: string): void {
        this.warnings.push({ field, message });
    }

    string(field: string, fallback: string): string {
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

    bool(field: string, fallback: boolean): boolean {
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

    integer(field: string, fallback: number, min: number, max: number): number {
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

    oneOf<T extends string>(field: string, allowed: readonly T[], fallback: T): T {
        const value = this.string(field, fallback);
        if (value === '') {
            return fallback;
        }
        if (!(allowed as readonly string[]).includes(value)) {
            this.fail(field, `must be one of ${allowed.join(', ')}, got "${value}"`);
            return fallback;
        }
        return value as T;
    }

    raw(field: string): unknown {
        return this.native[field];
    }
}

/** Parses `!a1b2c3d4`, `a1b2c3d4` or a decimal node number; undefined when it is none of these. */
export function parseNodeNum(text: string): number | undefined {
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
export function readNodeList(reader: FieldReader, field: string): Set<number> {
    const result = new Set<number>();
    const text = reader.string(field, '');
    for (const part of text.split(/[\s,;]+/).filter(Boolean)) {
        const num = parseNodeNum(part);
        if (num === undefined) {
            reader.fail(field, `"${part}" is not a node id (expected !a1b2c3d4)`);
        } else {
            result.add(num);
        }
    }
    return result;
}
