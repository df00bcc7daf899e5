import { expect } from 'chai';
import { NodeIndex } from './node-index';

describe('states/writing/node-index', () => {
    it('forgets the removal epochs of long-gone nodes, so a stream of node ids does not grow memory', () => {
        const maxNodes = 10;
        const index = new NodeIndex(maxNodes * 4 + 1000, () => false); // the writer's bound
        for (let i = 0; i < 5000; i++) {
            index.forget((0x30000000 + i).toString(16));
        }
        expect(index.generations).to.be.at.most(maxNodes * 4 + 1000);
        // The newest removal is still remembered.
        expect(index.epochOfNode((0x30000000 + 4999).toString(16))).to.equal(1);
    });

    it('keeps the generation of a node that still holds ids or awaits its objects', () => {
        const awaiting = new Set(['30000001']);
        const index = new NodeIndex(2, hex => awaiting.has(hex));
        index.forget('30000000');
        index.track('nodes.30000000.info.id');
        index.forget('30000001');
        for (let i = 2; i < 50; i++) {
            index.forget((0x30000000 + i).toString(16));
        }
        expect(index.has('30000000')).to.equal(true);
        expect(index.epochOfNode('30000000')).to.equal(1); // kept: it holds an id again
        expect(index.epochOfNode('30000001')).to.equal(1);
        expect(index.epochOf('nodes.30000001.info.id')).to.equal(1);
        expect(index.epochOf('channels.x.send')).to.equal(0);
    });
});
