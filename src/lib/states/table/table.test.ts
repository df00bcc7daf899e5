import { expect } from 'chai';
import { ALL_METRICS } from '../fixtures.test';
import { ROLE_RULES, ROLE_UNITS, COMMON_KEYS, allCommons, expectValidId } from '../state-rules.test';
import { NODE_CONTAINERS, NODE_STATES, ROOT_CONTAINERS, TELEMETRY_METRICS, TELEMETRY_VARIANTS } from '../index';

describe('states/table', () => {
    it('uses only official roles, with matching type and read/write', () => {
        for (const { id, common, writable } of allCommons()) {
            const rule = ROLE_RULES[common.role];
            expect(rule, `${id}: role ${common.role}`).to.not.equal(undefined);
            expect(rule.types, `${id}: type for ${common.role}`).to.include(common.type);
            if (rule.read !== undefined) {
                expect(common.read, id).to.equal(rule.read);
            }
            if (rule.write !== undefined) {
                expect(common.write, id).to.equal(rule.write);
            }
            // only buttons are write-only (their role rule says read: false)
            expect(common.read, id).to.equal(rule.read ?? true);
            expect(common.write, id).to.equal(writable === true);
            expect(common.name, id).to.be.a('string').and.not.equal('');
            for (const key of Object.keys(common)) {
                expect(COMMON_KEYS.has(key), `${id}: common.${key}`).to.equal(true);
            }
        }
    });

    it('uses the units the role doc prescribes', () => {
        for (const { id, common } of allCommons()) {
            const units = ROLE_UNITS[common.role];
            if (units) {
                expect(units, `${id} (${common.role}) unit ${common.unit}`).to.include(common.unit);
            }
        }
    });

    it('uses a detailed role at most once per channel', () => {
        const seen = new Map<string, string>();
        for (const { id, common } of allCommons()) {
            if (!common.role.includes('.')) {
                continue;
            }
            const parent = id.slice(0, id.lastIndexOf('.'));
            const key = `${parent}|${common.role}`;
            expect(seen.get(key), `${id} repeats ${common.role} of ${seen.get(key)}`).to.equal(undefined);
            seen.set(key, id);
        }
    });

    it('has unique node state ids, valid levels, and a container for every parent', () => {
        const ids = NODE_STATES.map(s => s.id);
        expect(new Set(ids).size).to.equal(ids.length);
        for (const spec of NODE_STATES) {
            expectValidId(`nodes.a1b2c3d4.${spec.id}`);
            const levels = spec.id.split('.');
            for (let i = 1; i < levels.length; i++) {
                const parent = levels.slice(0, i).join('.');
                expect(NODE_CONTAINERS[parent], `${spec.id}: container ${parent}`).to.not.equal(undefined);
            }
        }
        for (const variant of TELEMETRY_VARIANTS) {
            expect(NODE_CONTAINERS[`telemetry.${variant}`]?.type).to.equal('channel');
            for (const key of Object.keys(TELEMETRY_METRICS[variant])) {
                expectValidId(`nodes.a1b2c3d4.telemetry.${variant}.${key}`);
                expect(
                    NODE_STATES.some(s => s.id === `telemetry.${variant}.${key}`),
                    key,
                ).to.equal(false);
            }
        }
    });

    it('knows every field of the Meshtastic telemetry messages', () => {
        for (const variant of TELEMETRY_VARIANTS) {
            expect(Object.keys(TELEMETRY_METRICS[variant]).sort(), variant).to.deep.equal(
                Object.keys(ALL_METRICS[variant]).sort(),
            );
        }
    });

    it('keeps the hierarchy legal: folders/channels below the device, no device below a channel', () => {
        expect(ROOT_CONTAINERS.nodes.type).to.equal('folder');
        expect(ROOT_CONTAINERS.channels.type).to.equal('folder');
        for (const [id, spec] of Object.entries(NODE_CONTAINERS)) {
            expect(spec.type, id).to.be.oneOf(['folder', 'channel']);
            const parent = id.includes('.') ? id.slice(0, id.lastIndexOf('.')) : undefined;
            if (parent) {
                // a channel may sit in a folder, never the other way round below a channel
                expect(NODE_CONTAINERS[parent].type, id).to.equal('folder');
            }
        }
    });
});
