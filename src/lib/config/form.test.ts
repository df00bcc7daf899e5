/**
 * The settings form's own checks (admin/jsonConfig.json validators run in the browser) agree with what the adapter
 * accepts: a key the form lets through is one the codec takes, and the other way round.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePsk } from '../codec/keys';

interface FormItem {
    attr?: string;
    validator?: string;
    items?: FormItem[] | Record<string, FormItem>;
}

function findItem(node: FormItem, attr: string): FormItem | undefined {
    if (node.attr === attr && node.validator) {
        return node;
    }
    const children = Array.isArray(node.items) ? node.items : Object.values(node.items ?? {});
    for (const child of children) {
        const found = findItem(child, attr);
        if (found) {
            return found;
        }
    }
    return undefined;
}

const form = JSON.parse(
    readFileSync(join(__dirname, '..', '..', '..', 'admin', 'jsonConfig.json'), 'utf8'),
) as FormItem;
const pskItem = findItem(form, 'psk');
/** Admin calls a table cell's validator as `executeCustom` does: these parameter names, in this order. */
const validator = new Function(
    'data',
    'originalData',
    '_system',
    'instanceObj',
    'customObj',
    '_socket',
    'arrayIndex',
    'globalData',
    '_changed',
    pskItem?.validator ?? 'return true',
) as (data: unknown, originalData: unknown, ...rest: unknown[]) => boolean;

/** The form's verdict on `psk` in row 0, with `stored` as the row's key in the instance object. */
function formAccepts(psk: string, stored?: string): boolean {
    const original = { channels: stored === undefined ? [] : [{ name: 'LongFast', psk: stored }] };
    return validator({ name: 'LongFast', psk }, original, {}, {}, {}, undefined, 0, {}, false);
}

/** What the issue and the README name as a key: parsePsk accepts it and it has 0, 1, 16 or 32 bytes. */
function codecAccepts(psk: string): boolean {
    const parsed = parsePsk(psk);
    if (!parsed.ok) {
        return false;
    }
    const unpadded = psk.trim().replace(/={1,2}$/, '');
    return [0, 1, 16, 32].includes(Math.floor((unpadded.length * 3) / 4));
}

describe('settings form: channel key check', () => {
    it('is defined on the psk column', () => {
        expect(pskItem?.validator).to.be.a('string');
    });

    it('accepts the keys users copy from the app and refuses what is no key', () => {
        const good = ['', 'AQ==', 'AA==', 'Ag==', 'AQ', '1PG7OiApB1nwvP+rz05pAQ=='];
        good.push(Buffer.alloc(32, 7).toString('base64'), Buffer.alloc(32, 250).toString('base64url'));
        for (const psk of good) {
            expect(formAccepts(psk), psk).to.equal(true);
        }
        for (const psk of [
            'not base64 !!',
            'AQ=',
            'AAAA',
            'hello',
            Buffer.alloc(8).toString('base64'),
            Buffer.alloc(33).toString('base64'),
        ]) {
            expect(formAccepts(psk), psk).to.equal(false);
        }
    });

    it('lets an untouched row with a plain stored key be saved (admin shows it decrypted, i.e. scrambled)', () => {
        // admin's table decryption of a plain "AQ==": the legacy XOR with a hex secret, length kept.
        const secret = 'f3a9c2b1d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607';
        const scrambled = [...'AQ==']
            .map((c, i) => String.fromCharCode(c.charCodeAt(0) ^ secret.charCodeAt(i)))
            .join('');
        expect(formAccepts(scrambled, 'AQ==')).to.equal(true);
        expect(formAccepts('hello', 'AQ=='), 'a new entry of another length').to.equal(false);
        expect(formAccepts(scrambled), 'without a plain stored key').to.equal(false);
    });

    it('agrees with the codec on any string', () => {
        const alphabet = 'ABCQZaqz019+/-_= !'.split('');
        const candidate = fc.oneof(
            fc.string(),
            fc.array(fc.constantFrom(...alphabet), { maxLength: 48 }).map(chars => chars.join('')),
            fc.uint8Array({ maxLength: 40 }).map(bytes => Buffer.from(bytes).toString('base64')),
            fc.uint8Array({ maxLength: 40 }).map(bytes => Buffer.from(bytes).toString('base64url')),
        );
        fc.assert(
            fc.property(candidate, psk => formAccepts(psk) === codecAccepts(psk)),
            { numRuns: 5000 },
        );
    });
});
