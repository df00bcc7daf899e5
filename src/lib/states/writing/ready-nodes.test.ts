import { expect } from 'chai';
import { fullNode } from '../fixtures.test';
import { nodeHead } from '../batches';
import { sections } from '../writer-fixtures.test';
import { ReadyNodes } from './ready-nodes';

describe('states/writing/ready-nodes', () => {
    it('knows a node ready for the sections recorded with its head, and only those', () => {
        const ready = new ReadyNodes();
        const node = fullNode();
        const head = nodeHead(node);
        expect(head).to.not.equal(undefined);
        if (head === undefined) {
            return;
        }
        expect(ready.has(node.hex, head, sections('info'))).to.equal(false);
        ready.add(node, head, sections('info', 'status'));
        expect(ready.has(node.hex, head, sections('info'))).to.equal(true);
        expect(ready.has(node.hex, head, sections('info', 'status'))).to.equal(true);
        expect(ready.has(node.hex, head, sections('info', 'position'))).to.equal(false);
        ready.add(node, head, sections('position'));
        expect(ready.has(node.hex, head, sections('info', 'position'))).to.equal(true);
        expect(ready.has('0badc0de', head, sections('info'))).to.equal(false);
        ready.delete(node.hex);
        expect(ready.has(node.hex, head, sections('info'))).to.equal(false);
    });

    it('starts over with a new head (a renamed node)', () => {
        const ready = new ReadyNodes();
        const node = fullNode();
        const head = nodeHead(node);
        const renamed = fullNode();
        if (renamed.user) {
            renamed.user = { ...renamed.user, longName: 'Renamed' };
        }
        const newHead = nodeHead(renamed);
        if (head === undefined || newHead === undefined) {
            expect.fail('a full node has a head');
        }
        expect(newHead).to.not.equal(head);
        ready.add(node, head, sections('info', 'status'));
        expect(ready.has(node.hex, newHead, sections('info'))).to.equal(false);
        ready.add(renamed, newHead, sections('info'));
        expect(ready.has(node.hex, newHead, sections('info'))).to.equal(true);
        expect(ready.has(node.hex, newHead, sections('status'))).to.equal(false);
    });

    it('leaves out sections without data (their container comes with the first value)', () => {
        const ready = new ReadyNodes();
        const node = fullNode('a1b2c3d4', { position: undefined });
        const head = nodeHead(node);
        if (head === undefined) {
            expect.fail('a full node has a head');
        }
        ready.add(node, head, sections('info', 'position'));
        expect(ready.has(node.hex, head, sections('info'))).to.equal(true);
        expect(ready.has(node.hex, head, sections('position'))).to.equal(false);
    });
});
