import { expect } from 'chai';
import { FakeAdapter } from '../../../test-support/fake-adapter';
import { fullNode } from '../fixtures.test';
import { StateWriter } from '../writer';
import { ALL, sections, started } from '../writer-fixtures.test';

describe('states/writing/seed (through the writer)', () => {
    it('seeds caches from the DB: a restart with unchanged data costs no object and no state call', async () => {
        const fake = new FakeAdapter();
        const first = await started(fake);
        first.writeNode(fullNode(), ALL);
        first.ensureChannels(['LongFast']);
        await first.flush();

        const calls = { ...fake.calls };
        const second = new StateWriter(fake);
        const restored = await second.init(['LongFast']);
        expect(fake.calls.getAdapterObjects - calls.getAdapterObjects).to.equal(1);
        expect(fake.calls.getStates - calls.getStates).to.equal(1);
        expect(restored).to.have.length(1);
        expect(restored[0].user?.longName).to.equal('Alpha Base');
        expect(second.knownNodeHexes()).to.deep.equal(['a1b2c3d4']);
        expect(second.cachedValue('nodes.a1b2c3d4.info.longName')).to.equal('Alpha Base');

        const node = fullNode();
        node.lastText = undefined; // event state: would be written again
        second.writeNode(node, sections('info', 'position', 'radio', 'status', 'neighbors', 'telemetry.environment'));
        await second.flush();
        expect(fake.calls.setObjectNotExists).to.equal(calls.setObjectNotExists);
        expect(fake.calls.setState).to.equal(calls.setState);
        expect(fake.calls.extendObject).to.equal(calls.extendObject);
    });

    it('restores only nodes whose device object exists', async () => {
        const fake = new FakeAdapter();
        fake.putState('nodes.0000abcd.info.longName', 'orphan');
        fake.putState('nodes.0000abcd.status.lastHeard', 5);
        const writer = new StateWriter(fake);
        expect(await writer.init()).to.deep.equal([]);
    });

    it('survives failing seed calls', async () => {
        const fake = new FakeAdapter();
        fake.failNext('getAdapterObjects');
        fake.failNext('getStates');
        const writer = new StateWriter(fake);
        expect(await writer.init()).to.deep.equal([]);
        expect(fake.log.at('warn')).to.have.length(2);
        writer.writeNode(fullNode(), ALL);
        await writer.flush();
        expect(fake.val('nodes.a1b2c3d4.info.longName')).to.equal('Alpha Base');
    });
});
