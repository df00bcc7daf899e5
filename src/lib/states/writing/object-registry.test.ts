import { expect } from 'chai';
import { FakeAdapter } from '../../../test-support/fake-adapter';
import { fullNode } from '../fixtures.test';
import { nodeBatch } from '../batches';
import { ALL, sections, jitter, started } from '../writer-fixtures.test';

describe('states/writing/object-registry (through the writer)', () => {
    it('creates every object once, parents before children, before any value is written', async () => {
        const fake = new FakeAdapter({ latency: jitter([0, 2, 1, 3]) });
        const writer = await started(fake);
        writer.writeNode(fullNode(), ALL);
        await writer.flush();
        const batch = nodeBatch(fullNode(), ALL);
        for (const id of [...batch.objects.map(o => o.id), ...batch.states.map(s => s.id)]) {
            expect(fake.objects.has(id), id).to.equal(true);
        }
        expect(fake.writesWithoutObject).to.deep.equal([]);
        for (const [index, id] of fake.createdOrder.entries()) {
            const parent = id.includes('.') ? id.slice(0, id.lastIndexOf('.')) : undefined;
            if (parent) {
                expect(fake.createdOrder.indexOf(parent), `${parent} before ${id}`).to.be.within(0, index - 1);
            }
        }
        const created = fake.calls.setObjectNotExists;
        expect(writer.objectsCreated).to.equal(created);
        expect(fake.objects.get('nodes.a1b2c3d4')).to.deep.equal({
            type: 'device',
            common: { name: 'Alpha Base (!a1b2c3d4)' },
            native: {},
        });
        expect(fake.objects.get('nodes.a1b2c3d4.telemetry.device.voltage')?.common).to.deep.equal({
            name: 'Battery voltage',
            type: 'number',
            role: 'value.voltage',
            unit: 'V',
            read: true,
            write: false,
        });

        // new values: no object call at all
        const changed = fullNode('a1b2c3d4', { lastHeard: 1_800_000_000_000 });
        changed.telemetry.device = { ...changed.telemetry.device, voltage: 3.7 };
        writer.writeNode(changed, ALL);
        await writer.flush();
        expect(fake.calls.setObjectNotExists).to.equal(created);
        expect(fake.calls.extendObject).to.equal(0);
        expect(fake.val('nodes.a1b2c3d4.telemetry.device.voltage')).to.equal(3.7);
        expect(fake.states.get('nodes.a1b2c3d4.status.lastHeard')).to.include({ val: 1_800_000_000_000, ack: true });
    });

    it('creates a section container with its first value, also for a node whose other sections are ready', async () => {
        const fake = new FakeAdapter({ latency: jitter([1, 0, 2]) });
        const writer = await started(fake);
        const node = fullNode('0c0ffee0', {
            position: undefined,
            history: [],
            lastText: undefined,
            telemetry: { device: { batteryLevel: 80 } },
        });
        writer.writeNode(node, ALL);
        await writer.flush();
        writer.writeNode(node, ALL); // its objects exist now: every section with data is marked ready
        await writer.flush();
        const base = 'nodes.0c0ffee0';
        for (const empty of ['position', 'messages', 'telemetry.environment', 'telemetry.localStats']) {
            expect(fake.objects.has(`${base}.${empty}`), empty).to.equal(false);
        }
        const before = fake.calls.setObjectNotExists;
        node.position = { latitude: 52.5, longitude: 13.4, precisionBits: 32, accuracyMeters: 0 };
        writer.writeNode(node, sections('position'));
        await writer.flush();
        expect(fake.objects.get(`${base}.position`)?.type).to.equal('channel');
        expect(fake.val(`${base}.position.latitude`)).to.equal(52.5);
        expect(fake.writesWithoutObject).to.deep.equal([]);
        const order = fake.createdOrder;
        expect(order.indexOf(`${base}.position`)).to.be.lessThan(order.indexOf(`${base}.position.latitude`));
        expect(fake.calls.setObjectNotExists - before).to.be.greaterThan(1);
        // and from then on position updates need no object call
        const created = fake.calls.setObjectNotExists;
        node.position = { latitude: 52.6, longitude: 13.4, precisionBits: 32, accuracyMeters: 0 };
        writer.writeNode(node, sections('position'));
        await writer.flush();
        expect(fake.calls.setObjectNotExists).to.equal(created);
        expect(fake.val(`${base}.position.latitude`)).to.equal(52.6);
    });

    it('renames the device when the long name changes, and only then', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake);
        writer.writeNode(fullNode('a1b2c3d4', { user: undefined }), sections('status'));
        await writer.flush();
        expect(fake.objects.get('nodes.a1b2c3d4')?.common.name).to.equal('!a1b2c3d4');

        writer.writeNode(fullNode(), sections('info'));
        writer.writeNode(fullNode(), sections('info'));
        await writer.flush();
        expect(fake.calls.extendObject).to.equal(1);
        expect(fake.objects.get('nodes.a1b2c3d4')?.common.name).to.equal('Alpha Base (!a1b2c3d4)');
    });

    it('keeps creating and renaming right for a live record updated in place (as the mesh model does)', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake);
        const node = fullNode('a1b2c3d4', { user: undefined, telemetry: {} });
        writer.writeNode(node, sections('status'));
        await writer.flush();
        writer.writeNode(node, sections('status')); // objects exist now: the quick path
        await writer.flush();
        const created = fake.calls.setObjectNotExists;
        expect(fake.objects.get('nodes.a1b2c3d4')?.common.name).to.equal('!a1b2c3d4');

        node.user = fullNode().user; // named later, in place
        node.lastHeard += 1000;
        writer.writeNode(node, sections('status'));
        await writer.flush();
        expect(fake.objects.get('nodes.a1b2c3d4')?.common.name).to.equal('Alpha Base (!a1b2c3d4)');
        expect(fake.calls.extendObject).to.equal(1);

        node.telemetry.power = { ch1Voltage: 5.1 }; // a section not seen before gets its channel first
        writer.writeNode(node, sections('status', 'telemetry.power'));
        await writer.flush();
        expect(fake.objects.has('nodes.a1b2c3d4.telemetry.power')).to.equal(true);
        expect(fake.states.get('nodes.a1b2c3d4.telemetry.power.ch1Voltage')?.val).to.equal(5.1);
        expect(fake.writesWithoutObject).to.deep.equal([]);
        expect(fake.calls.setObjectNotExists).to.be.greaterThan(created);
        expect(fake.calls.extendObject).to.equal(1);
    });

    it('applies a rename that arrives while the device is still being created', async () => {
        const fake = new FakeAdapter({ latency: jitter([3]) });
        const writer = await started(fake);
        writer.writeNode(fullNode('a1b2c3d4', { user: undefined }), sections('status'));
        writer.writeNode(fullNode(), sections('info'));
        await writer.flush();
        expect(fake.objects.get('nodes.a1b2c3d4')?.common.name).to.equal('Alpha Base (!a1b2c3d4)');
    });

    it('upgrades role/unit of old state objects once, keeping their names', async () => {
        const fake = new FakeAdapter();
        fake.putObject('nodes.a1b2c3d4', { type: 'device', common: { name: 'Alpha Base (!a1b2c3d4)' }, native: {} });
        fake.putObject('nodes.a1b2c3d4.telemetry.device.voltage', {
            type: 'state',
            common: { name: 'my name', type: 'number', role: 'value', read: true, write: false },
            native: {},
        });
        const writer = await started(fake);
        const node = fullNode();
        writer.writeNode(node, sections('telemetry.device'));
        writer.writeNode(node, sections('telemetry.device'));
        await writer.flush();
        expect(fake.calls.extendObject).to.equal(1);
        expect(fake.objects.get('nodes.a1b2c3d4.telemetry.device.voltage')?.common).to.deep.include({
            name: 'my name',
            role: 'value.voltage',
            unit: 'V',
        });
    });

    it('does not recreate instance objects that exist (io-package) and does not change them', async () => {
        const fake = new FakeAdapter();
        fake.putObject('info', { type: 'channel', common: { name: 'Information' }, native: {} });
        fake.putObject('info.connection', {
            type: 'state',
            common: { name: 'Connected', type: 'boolean', role: 'indicator.connected', read: true, write: false },
            native: {},
        });
        fake.putObject('info.clients', {
            type: 'state',
            common: { name: 'Clients', type: 'string', role: 'text', read: true, write: false },
            native: {},
        });
        const writer = await started(fake);
        writer.setConnected(false);
        writer.setClients([]);
        await writer.flush();
        expect(fake.calls.extendObject).to.equal(0);
        expect(fake.objects.get('info.clients')?.common.role).to.equal('text');
        expect(fake.createdOrder.filter(id => id.startsWith('info'))).to.deep.equal([]);
    });
});
