import { expect } from 'chai';
import fc from 'fast-check';
import { sanitizeRecord } from '../mesh/node-store';
import type { NodeRecord } from '../mesh/types';
import { fullNode } from './fixtures.test';
import { ALL } from './state-rules.test';
import { nodeStateValues, restoreNodes } from './index';

describe('states/restore', () => {
    function storedValues(node: NodeRecord): [string, ioBroker.StateValue][] {
        return nodeStateValues(node, ALL).map(e => [e.id, e.value]);
    }

    it('round-trips every state of a full node', () => {
        const node = fullNode();
        const [restored] = restoreNodes(storedValues(node));
        expect(restored.num).to.equal(node.num);
        expect(restored.hex).to.equal(node.hex);
        expect(restored.user).to.deep.equal(node.user);
        expect(new Map(storedValues(restored))).to.deep.equal(new Map(storedValues(node)));
        expect(restored.lastText).to.deep.equal(node.lastText);
    });

    it('restores batteryLevel 101, load averages and lastMqtt', () => {
        const node = fullNode('00000005', {
            presence: 'mqtt',
            telemetry: { device: { batteryLevel: 101 }, host: { load1: 37 } },
        });
        const [restored] = restoreNodes(storedValues(node));
        expect(restored.telemetry.device?.batteryLevel).to.equal(101);
        expect(restored.telemetry.host?.load1).to.equal(37);
        expect(restored.lastMqtt).to.equal(node.lastHeard);
    });

    it('ignores foreign ids, nulls and values of the wrong type', () => {
        const restored = restoreNodes([
            ['nodes.00000006.status.lastHeard', 'yesterday'],
            ['nodes.00000006.info.longName', 42],
            ['nodes.00000006.position.latitude', null],
            ['nodes.00000006.neighbors', '{not json'],
            ['nodes.00000006.telemetry.bogus.x', 1],
            ['nodes.00000006.telemetry.device.voltage', 'high'],
            ['channels.LongFast.lastMessage', 'x'],
            ['stats.received', 5],
            ['nodes.notahex.info.id', 'x'],
        ]);
        expect(restored).to.have.length(1);
        expect(restored[0]).to.deep.include({ num: 6, lastHeard: 0, telemetry: {}, history: [] });
        expect(restored[0].user).to.equal(undefined);
        expect(restored[0].position).to.equal(undefined);
    });

    it('gives records the mesh model accepts unchanged (contract with MeshModel.restore)', () => {
        fc.assert(
            fc.property(
                fc.record({
                    battery: fc.integer({ min: 0, max: 101 }),
                    temp: fc.double({ min: -40, max: 60, noNaN: true }),
                    presence: fc.constantFrom<NodeRecord['presence']>('mqtt', 'rf', 'offline'),
                    lat: fc.integer({ min: -900_000_000, max: 900_000_000 }),
                    hex: fc.integer({ min: 4, max: 0xfffffffe }).map(n => n.toString(16).padStart(8, '0')),
                }),
                ({ battery, temp, presence, lat, hex }) => {
                    const node = fullNode(hex, { presence });
                    node.telemetry.device = { ...node.telemetry.device, batteryLevel: battery };
                    node.telemetry.environment = { temperature: Math.fround(temp) };
                    node.position = { ...node.position!, latitude: lat * 1e-7 };
                    const [restored] = restoreNodes(storedValues(node));
                    const accepted = sanitizeRecord(restored, 50);
                    expect(accepted, hex).to.not.equal(undefined);
                    // JSON states compared parsed: the model may order message keys differently
                    const parsed = (n: NodeRecord): Map<string, unknown> =>
                        new Map(
                            storedValues(n).map(([id, v]) => [
                                id,
                                id.endsWith('history') || id.endsWith('neighbors') || id.endsWith('gateways')
                                    ? JSON.parse(v as string)
                                    : v,
                            ]),
                        );
                    expect(parsed(accepted!)).to.deep.equal(parsed(node));
                },
            ),
            { numRuns: 200 },
        );
    });
});
