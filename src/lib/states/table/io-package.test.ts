import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
    INFO_CLIENTS,
    INFO_CONNECTION,
    MESSAGE_DIRECT,
    MESSAGE_LAST,
    MESSAGE_LAST_SENT,
    ROOT_CONTAINERS,
    type StateCommonSpec,
    STATS_STATES,
} from '.';

interface InstanceObject {
    _id: string;
    type: string;
    common: Record<string, unknown> & { name: string | { en: string } };
}

/** io-package instanceObjects and the table are one source: every instance object must be the table's spec. */
describe('states/table: io-package instanceObjects', () => {
    const io = JSON.parse(readFileSync(join(__dirname, '../../../../io-package.json'), 'utf8')) as {
        instanceObjects: InstanceObject[];
    };
    const states = new Map<string, StateCommonSpec>(
        [...STATS_STATES, MESSAGE_LAST, MESSAGE_DIRECT, MESSAGE_LAST_SENT, INFO_CONNECTION, INFO_CLIENTS].map(spec => [
            spec.id,
            spec.common,
        ]),
    );
    const english = (name: InstanceObject['common']['name']): string => (typeof name === 'string' ? name : name.en);

    it('lists only objects of the table, containers with the table type and name', () => {
        expect(io.instanceObjects.length).to.be.greaterThan(0);
        for (const obj of io.instanceObjects) {
            if (obj.type === 'state') {
                expect(states.has(obj._id), `${obj._id} in the table`).to.equal(true);
                continue;
            }
            const container = (ROOT_CONTAINERS as Record<string, { type: string; name: string } | undefined>)[obj._id];
            expect(container, `${obj._id} in ROOT_CONTAINERS`).to.not.equal(undefined);
            expect(obj.type, obj._id).to.equal(container?.type);
            expect(english(obj.common.name), obj._id).to.equal(container?.name);
        }
    });

    it('gives every state the id, type, role, unit, read/write and English name of its spec', () => {
        for (const obj of io.instanceObjects.filter(o => o.type === 'state')) {
            const spec = states.get(obj._id) as StateCommonSpec;
            expect(
                {
                    name: english(obj.common.name),
                    type: obj.common.type,
                    role: obj.common.role,
                    unit: obj.common.unit,
                    read: obj.common.read,
                    write: obj.common.write,
                },
                obj._id,
            ).to.deep.equal({
                name: spec.name,
                type: spec.type,
                role: spec.role,
                unit: spec.unit,
                read: spec.read,
                write: spec.write,
            });
        }
    });

    it('covers every top-level container and the fixed states the adapter needs before the first packet', () => {
        const ids = new Set(io.instanceObjects.map(o => o._id));
        for (const id of Object.keys(ROOT_CONTAINERS)) {
            expect(ids.has(id), id).to.equal(true);
        }
        for (const spec of [INFO_CONNECTION, INFO_CLIENTS, MESSAGE_LAST, MESSAGE_DIRECT, MESSAGE_LAST_SENT]) {
            expect(ids.has(spec.id), spec.id).to.equal(true);
        }
    });
});
