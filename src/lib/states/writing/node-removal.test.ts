import { expect } from 'chai';
import { FakeAdapter } from '../../../test-support/fake-adapter';
import { fullNode } from '../fixtures.test';
import { StateWriter } from '../writer';
import { ALL, sections, manualLatency, jitter, objectsUnder, statesUnder, started } from '../writer-fixtures.test';

describe('states/writing/node-removal (through the writer)', () => {
    it('removes a node: objects, states and caches; a later update recreates it', async () => {
        const fake = new FakeAdapter({ latency: jitter([0, 1]) });
        const writer = await started(fake);
        writer.writeNode(fullNode(), ALL);
        writer.writeNode(fullNode('0badc0de'), ALL);
        await writer.flush();

        await writer.removeNode('a1b2c3d4');
        expect(objectsUnder(fake, 'nodes.a1b2c3d4')).to.deep.equal([]);
        expect(statesUnder(fake, 'nodes.a1b2c3d4')).to.deep.equal([]);
        expect(objectsUnder(fake, 'nodes.0badc0de').length).to.be.greaterThan(10);
        expect(writer.knownNodeHexes()).to.deep.equal(['0badc0de']);
        expect(writer.cachedValue('nodes.a1b2c3d4.info.longName')).to.equal(undefined);

        writer.writeNode(fullNode(), sections('info'));
        await writer.flush();
        expect(fake.val('nodes.a1b2c3d4.info.longName')).to.equal('Alpha Base');
        expect(fake.objects.has('nodes.a1b2c3d4.info')).to.equal(true);
        expect(fake.writesWithoutObject).to.deep.equal([]);
    });

    it('drops queued writes of a removed node and never resurrects its objects', async () => {
        const gate = manualLatency();
        const fake = new FakeAdapter({ latency: gate.latency });
        const writer = new StateWriter(fake, { maxInFlight: 3 });
        const init = writer.init();
        while (fake.calls.getStates === 0 || gate.held() > 0) {
            gate.release();
            await new Promise<void>(resolve => setImmediate(resolve));
        }
        await init;
        writer.writeNode(fullNode(), ALL);
        await new Promise<void>(resolve => setImmediate(resolve));
        expect(gate.held()).to.be.greaterThan(0); // creations in flight
        const removal = writer.removeNode('a1b2c3d4');
        let done = false;
        void removal.then(() => (done = true));
        for (let i = 0; i < 200 && !done; i++) {
            gate.release();
            await new Promise<void>(resolve => setImmediate(resolve));
        }
        expect(done).to.equal(true);
        for (let i = 0; i < 20; i++) {
            gate.release();
            await new Promise<void>(resolve => setImmediate(resolve));
        }
        await writer.flush();
        expect(objectsUnder(fake, 'nodes.a1b2c3d4')).to.deep.equal([]);
        expect(statesUnder(fake, 'nodes.a1b2c3d4')).to.deep.equal([]);
        expect(fake.calls.delObject).to.equal(1);
    });
});
