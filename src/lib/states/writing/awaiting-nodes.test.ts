import { expect } from 'chai';
import { fullNode } from '../fixtures.test';
import { AwaitingNodes } from './awaiting-nodes';

const node = (i: number, lastHeard = 1000 + i): ReturnType<typeof fullNode> =>
    fullNode((0x10000000 + i).toString(16), { lastHeard });

describe('states/writing/awaiting-nodes', () => {
    it('pops the most recently heard node first; a node heard again moves to the front', () => {
        const awaiting = new AwaitingNodes();
        awaiting.set(node(1), 0);
        awaiting.set(node(2), 0);
        awaiting.set(node(3), 0);
        awaiting.set(node(1, 5000), 0); // heard since
        expect(awaiting.size).to.equal(3);
        expect(awaiting.pop()?.hex).to.equal('10000001');
        expect(awaiting.pop()?.hex).to.equal('10000003');
        expect(awaiting.pop()?.hex).to.equal('10000002');
        expect(awaiting.pop()).to.equal(undefined);
        expect(awaiting.size).to.equal(0);
    });

    it('keeps the newest record of a node without moving it when it was not heard since', () => {
        const awaiting = new AwaitingNodes();
        awaiting.set(node(1), 0);
        awaiting.set(node(2), 0);
        const newer = node(1);
        awaiting.set(newer, 0);
        expect(awaiting.pop()?.hex).to.equal('10000002');
        expect(awaiting.pop()).to.equal(newer);
    });

    it('takes the node awaiting longest only once it started at the cutoff or before', () => {
        const awaiting = new AwaitingNodes();
        awaiting.set(node(1), 100);
        awaiting.set(node(2), 200);
        awaiting.set(node(1, 9000), 300); // heard again: keeps its place in the order of `since`
        expect(awaiting.takeAwaitingSince(50)).to.equal(undefined);
        expect(awaiting.takeAwaitingSince(150)?.hex).to.equal('10000001');
        expect(awaiting.takeAwaitingSince(150)).to.equal(undefined);
        expect(awaiting.pop()?.hex).to.equal('10000002'); // the stale stack entry of 10000001 is skipped
        expect(awaiting.pop()).to.equal(undefined);
    });

    it('deletes by hex and clears; the stack stays bounded under repeated updates', () => {
        const awaiting = new AwaitingNodes();
        awaiting.set(node(1), 0);
        awaiting.set(node(2), 0);
        expect(awaiting.delete('10000001')?.hex).to.equal('10000001');
        expect(awaiting.delete('10000001')).to.equal(undefined);
        expect(awaiting.has('10000002')).to.equal(true);
        const base = node(2);
        for (let heard = 0; heard < 5000; heard++) {
            awaiting.set({ ...base, lastHeard: heard }, 0); // compacts the stack on the way
        }
        expect(awaiting.size).to.equal(1);
        expect(awaiting.pop()?.lastHeard).to.equal(4999);
        expect(awaiting.pop()).to.equal(undefined);
        awaiting.set(node(3), 0);
        awaiting.clear();
        expect(awaiting.size).to.equal(0);
        expect(awaiting.pop()).to.equal(undefined);
    });
});
