import { expect } from 'chai';
import { newNodeRecord } from '../mesh/record';
import type { MeshEvent, NodeRecord, NodeSection } from '../mesh/types';
import { CadenceFilter, EVERY_PACKET, type WriteCadence } from './cadence';

const MIN = 60_000;
const DEFAULTS: WriteCadence = { radio: 'interval', radioMs: 15 * MIN, lastHeardMs: 5 * MIN };

function nodeEvent(node: NodeRecord, sections: NodeSection[], isNew = false): MeshEvent {
    return { type: 'node', node, sections: new Set(sections), isNew };
}

function sectionsOf(events: MeshEvent[]): string[][] {
    return events.map(e => (e.type === 'node' ? [...e.sections].sort() : [e.type]));
}

/** A filter on a clock the test moves. */
function filterAt(cadence: WriteCadence): { filter: CadenceFilter; advance: (ms: number) => void } {
    let now = 1_000_000;
    return { filter: new CadenceFilter(cadence, () => now), advance: ms => (now += ms) };
}

describe('states/cadence', () => {
    it('passes the same array when everything is written per packet', () => {
        const { filter } = filterAt(EVERY_PACKET);
        const node = newNodeRecord(0x1234, 0);
        const events = [nodeEvent(node, ['status', 'radio'], true), nodeEvent(node, ['status', 'radio'])];
        expect(filter.filter(events)).to.equal(events);
    });

    it('writes radio at most every interval and lastHeard at its granularity, per node', () => {
        const { filter, advance } = filterAt(DEFAULTS);
        const a = newNodeRecord(0xa, 0);
        const b = newNodeRecord(0xb, 0);
        expect(sectionsOf(filter.filter([nodeEvent(a, ['status', 'radio', 'position'], true)]))).to.deep.equal([
            ['position', 'radio', 'status'],
        ]);
        advance(MIN);
        // b is new to the filter (heard before a restart): written whole once
        expect(
            sectionsOf(
                filter.filter([nodeEvent(a, ['status', 'radio', 'position']), nodeEvent(b, ['status', 'radio'])]),
            ),
        ).to.deep.equal([['position'], ['radio', 'status']]);
        advance(4 * MIN); // 5 min after a's first: lastHeard due, radio not
        expect(sectionsOf(filter.filter([nodeEvent(a, ['status', 'radio', 'telemetry.device'])]))).to.deep.equal([
            ['status', 'telemetry.device'],
        ]);
        advance(10 * MIN); // 15 min: both due
        expect(sectionsOf(filter.filter([nodeEvent(a, ['status', 'radio'])]))).to.deep.equal([['radio', 'status']]);
        advance(MIN);
        expect(sectionsOf(filter.filter([nodeEvent(a, ['status', 'radio'])]))).to.deep.equal([[]]);
        expect(filter.heldRadio).to.equal(3);
        expect(filter.heldLastHeard).to.equal(2);
    });

    it('never delays a presence change (online, presence), and writes lastHeard with it', () => {
        const { filter, advance } = filterAt(DEFAULTS);
        const node = newNodeRecord(0xc, 0);
        node.presence = 'rf';
        filter.filter([nodeEvent(node, ['status'], true)]);
        advance(MIN);
        expect(sectionsOf(filter.filter([nodeEvent(node, ['status'])]))).to.deep.equal([[]]);
        node.presence = 'mqtt';
        expect(sectionsOf(filter.filter([nodeEvent(node, ['status'])]))).to.deep.equal([['status']]);
        advance(MIN);
        node.presence = 'offline'; // the presence tick
        expect(sectionsOf(filter.filter([nodeEvent(node, ['status'])]))).to.deep.equal([['status']]);
        advance(MIN);
        expect(sectionsOf(filter.filter([nodeEvent(node, ['status'])]))).to.deep.equal([[]]);
    });

    it('radio off: written only with a new node', () => {
        const { filter, advance } = filterAt({ radio: 'off', radioMs: 0, lastHeardMs: 0 });
        const node = newNodeRecord(0xd, 0);
        const known = newNodeRecord(0xe, 0);
        expect(sectionsOf(filter.filter([nodeEvent(node, ['radio', 'status'], true)]))).to.deep.equal([
            ['radio', 'status'],
        ]);
        advance(24 * 60 * MIN);
        expect(
            sectionsOf(filter.filter([nodeEvent(node, ['radio', 'status']), nodeEvent(known, ['radio', 'status'])])),
        ).to.deep.equal([['status'], ['status']]);
    });

    it('leaves the events it was given unchanged (the tab feed gets them too) and keeps other events in order', () => {
        const { filter, advance } = filterAt(DEFAULTS);
        const node = newNodeRecord(0xf, 0);
        filter.filter([nodeEvent(node, ['radio', 'status'], true)]);
        advance(1000);
        const removed: MeshEvent = { type: 'nodeRemoved', num: 1, hex: '00000001', reason: 'maxNodes' };
        const events = [removed, nodeEvent(node, ['radio', 'status', 'info']), removed];
        const out = filter.filter(events);
        expect(out).to.not.equal(events);
        expect(sectionsOf(out)).to.deep.equal([['nodeRemoved'], ['info'], ['nodeRemoved']]);
        expect(sectionsOf(events)).to.deep.equal([['nodeRemoved'], ['info', 'radio', 'status'], ['nodeRemoved']]);
        // nothing held back: the same array
        advance(15 * MIN);
        const due = [nodeEvent(node, ['radio', 'status'])];
        expect(filter.filter(due)).to.equal(due);
    });

    it('starts afresh for a node evicted and heard again (a new record)', () => {
        const { filter, advance } = filterAt(DEFAULTS);
        filter.filter([nodeEvent(newNodeRecord(0x10, 0), ['radio', 'status'], true)]);
        advance(1000);
        const again = newNodeRecord(0x10, 1000);
        expect(sectionsOf(filter.filter([nodeEvent(again, ['radio', 'status'], true)]))).to.deep.equal([
            ['radio', 'status'],
        ]);
    });
});
