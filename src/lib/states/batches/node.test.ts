import { expect } from 'chai';
import fc from 'fast-check';
import type { NodeRecord, NodeSection } from '../../mesh/types';
import { ALL_METRICS, fullNode, textMessage } from '../fixtures.test';
import { expectValidId, expectEntryValid, ALL } from '../state-rules.test';
import { nodeBatch, nodeDisplayName, nodeObjects, nodeStateValues, sectionHasData, TELEMETRY_VARIANTS } from '../index';

describe('states/batches/node', () => {
    it('maps a full node to valid, typed entries with the public ids', () => {
        const entries = nodeStateValues(fullNode(), ALL);
        const byId = new Map(entries.map(e => [e.id, e]));
        expect(byId.size).to.equal(entries.length);
        entries.forEach(expectEntryValid);
        const b = 'nodes.a1b2c3d4';
        const expected: Record<string, ioBroker.StateValue> = {
            [`${b}.info.id`]: '!a1b2c3d4',
            [`${b}.info.num`]: 0xa1b2c3d4,
            [`${b}.info.longName`]: 'Alpha Base',
            [`${b}.info.shortName`]: 'ALB',
            [`${b}.info.hwModel`]: 'HELTEC_V3',
            [`${b}.info.role`]: 'CLIENT',
            [`${b}.info.firmware`]: '2.6.11.60ec05e',
            [`${b}.info.region`]: 'EU_868',
            [`${b}.info.modemPreset`]: 'LONG_FAST',
            [`${b}.position.latitude`]: 48.1234567,
            [`${b}.position.longitude`]: 11.7654321,
            [`${b}.position.altitude`]: 520,
            [`${b}.position.precisionBits`]: 32,
            [`${b}.position.accuracy`]: 0,
            [`${b}.position.gps`]: '48.1234567;11.7654321',
            [`${b}.position.time`]: 1_700_000_000_000,
            [`${b}.position.groundSpeed`]: 1.5,
            [`${b}.position.satsInView`]: 9,
            [`${b}.telemetry.device.batteryLevel`]: 87,
            [`${b}.telemetry.device.externalPower`]: false,
            [`${b}.telemetry.device.voltage`]: 4.1,
            [`${b}.telemetry.environment.temperature`]: 21.3,
            [`${b}.telemetry.host.load1`]: 0.25,
            [`${b}.radio.snr`]: 6.25,
            [`${b}.radio.rssi`]: -97,
            [`${b}.radio.hopsAway`]: 1,
            [`${b}.radio.viaMqtt`]: false,
            [`${b}.radio.gateway`]: '!0badc0de',
            [`${b}.radio.gatewayCount`]: 2,
            [`${b}.radio.gateways`]: '["!0badc0de","!12345678"]',
            [`${b}.status.lastHeard`]: 1_700_000_100_000,
            [`${b}.status.online`]: true,
            [`${b}.status.presence`]: 'rf',
            [`${b}.messages.lastText`]: 'hello mesh',
        };
        for (const [id, value] of Object.entries(expected)) {
            expect(byId.get(id)?.value, id).to.equal(value);
        }
        expect(JSON.parse(byId.get(`${b}.neighbors`)?.value as string)).to.deep.equal(fullNode().neighbors);
        expect(JSON.parse(byId.get(`${b}.messages.history`)?.value as string)).to.have.length(2);
        expect(byId.get(`${b}.status.presence`)?.common.states).to.deep.equal({
            mqtt: 'mqtt',
            rf: 'rf',
            offline: 'offline',
        });
        expect(byId.get(`${b}.messages.lastText`)?.event).to.equal(true);
        // every known metric of every variant is there
        for (const variant of TELEMETRY_VARIANTS) {
            for (const key of Object.keys(ALL_METRICS[variant])) {
                expect(byId.has(`${b}.telemetry.${variant}.${key}`), key).to.equal(true);
            }
        }
    });

    it('writes only the requested sections and skips data a node never sent', () => {
        const node = fullNode('00000001', {
            user: undefined,
            position: undefined,
            telemetry: { device: { voltage: 3.9 } },
        });
        const entries = nodeStateValues(node, new Set<NodeSection>(['position', 'telemetry.device', 'status']));
        const ids = entries.map(e => e.id).sort();
        expect(ids).to.deep.equal([
            'nodes.00000001.status.lastHeard',
            'nodes.00000001.status.online',
            'nodes.00000001.status.presence',
            'nodes.00000001.telemetry.device.voltage',
        ]);
        expect(nodeStateValues(node, new Set<NodeSection>(['info'])).map(e => e.id)).to.deep.equal([
            'nodes.00000001.info.id',
            'nodes.00000001.info.num',
            'nodes.00000001.info.firmware',
            'nodes.00000001.info.region',
            'nodes.00000001.info.modemPreset',
            'nodes.00000001.info.onlineLocalNodes',
        ]);
    });

    it('turns battery level 101 into 100 plus externalPower', () => {
        const node = fullNode('00000002', { telemetry: { device: { batteryLevel: 101 } } });
        const byId = new Map(
            nodeStateValues(node, new Set<NodeSection>(['telemetry.device'])).map(e => [e.id, e.value]),
        );
        expect(byId.get('nodes.00000002.telemetry.device.batteryLevel')).to.equal(100);
        expect(byId.get('nodes.00000002.telemetry.device.externalPower')).to.equal(true);
    });

    it('gives unknown metrics role value, no unit and the key as name; drops non-finite values', () => {
        const node = fullNode('00000003', {
            telemetry: { environment: { futureSensor: 7, temperature: Number.NaN, humidity2: Infinity } },
        });
        const entries = nodeStateValues(node, new Set<NodeSection>(['telemetry.environment']));
        expect(entries).to.have.length(1);
        expect(entries[0].id).to.equal('nodes.00000003.telemetry.environment.futureSensor');
        expect(entries[0].common).to.deep.equal({
            name: 'futureSensor',
            type: 'number',
            role: 'value',
            read: true,
            write: false,
        });
    });

    it('marks offline nodes as unreachable', () => {
        const byId = new Map(
            nodeStateValues(fullNode('00000004', { presence: 'offline' }), new Set<NodeSection>(['status'])).map(e => [
                e.id,
                e.value,
            ]),
        );
        expect(byId.get('nodes.00000004.status.online')).to.equal(false);
        expect(byId.get('nodes.00000004.status.presence')).to.equal('offline');
    });

    it('follows a live node record through renames and new telemetry (ids are reused per record)', () => {
        const node = fullNode('0badc0de');
        const first = nodeObjects(node, new Set<NodeSection>(['info']));
        expect(first[1].common.name).to.equal('Alpha Base (!0badc0de)');
        // the model mutates its records in place: the next batch must show the new name and the new metric
        node.user = { ...(node.user as NonNullable<NodeRecord['user']>), longName: 'Renamed' };
        node.telemetry.device = { ...node.telemetry.device, batteryLevel: 12 };
        const again = nodeObjects(node, new Set<NodeSection>(['info', 'telemetry.device']));
        expect(again[1].common.name).to.equal('Renamed (!0badc0de)');
        expect(again.map(o => o.id)).to.include('nodes.0badc0de.telemetry.device');
        const battery = nodeStateValues(node, new Set<NodeSection>(['telemetry.device'])).find(e =>
            e.id.endsWith('.batteryLevel'),
        );
        expect(battery?.value).to.equal(12);
        // another record of the same hex (a node removed and heard again) gets the same ids
        expect(nodeStateValues(fullNode('0badc0de'), ALL).map(e => e.id)).to.deep.equal(
            nodeStateValues(fullNode('0badc0de'), ALL).map(e => e.id),
        );
    });

    it('creates device and containers parents first, only for the requested sections', () => {
        const objects = nodeObjects(fullNode(), new Set<NodeSection>(['telemetry.power', 'info', 'neighbors']));
        expect(objects.map(o => [o.id, o.type])).to.deep.equal([
            ['nodes', 'folder'],
            ['nodes.a1b2c3d4', 'device'],
            ['nodes.a1b2c3d4.send', 'state'],
            ['nodes.a1b2c3d4.sendStatus', 'state'],
            ['nodes.a1b2c3d4.traceroute', 'channel'],
            ['nodes.a1b2c3d4.traceroute.request', 'state'],
            ['nodes.a1b2c3d4.telemetry', 'folder'],
            ['nodes.a1b2c3d4.info', 'channel'],
            ['nodes.a1b2c3d4.telemetry.power', 'channel'],
        ]);
        expect(objects[1].common.name).to.equal('Alpha Base (!a1b2c3d4)');
    });

    it('creates no container for a section without data, and the container once data arrives', () => {
        // a node heard only with device telemetry: no empty position, messages or other telemetry channels
        const node = fullNode('0c0ffee0', {
            position: undefined,
            neighbors: undefined,
            history: [],
            lastText: undefined,
            telemetry: { device: { batteryLevel: 80 } },
        });
        const ids = nodeObjects(node, ALL).map(o => o.id);
        expect(ids).to.include.members(['nodes.0c0ffee0.telemetry', 'nodes.0c0ffee0.telemetry.device']);
        for (const empty of [
            'position',
            'messages',
            'telemetry.environment',
            'telemetry.airQuality',
            'telemetry.power',
        ]) {
            expect(ids, empty).to.not.include(`nodes.0c0ffee0.${empty}`);
            expect(sectionHasData(node, empty as NodeSection), empty).to.equal(false);
        }
        expect(nodeStateValues(node, ALL).map(e => e.id)).to.not.include('nodes.0c0ffee0.messages.history');
        // its first text and first position bring their channels
        node.history = [textMessage()];
        node.position = { latitude: 52.5, longitude: 13.4, precisionBits: 32, accuracyMeters: 0 };
        const later = nodeObjects(node, new Set<NodeSection>(['messages', 'position'])).map(o => o.id);
        expect(later).to.include.members(['nodes.0c0ffee0.messages', 'nodes.0c0ffee0.position']);
        // a metric that is not a finite number is no data either
        const broken = fullNode('0c0ffee1', { telemetry: { environment: { temperature: Number.NaN } } });
        expect(sectionHasData(broken, 'telemetry.environment')).to.equal(false);
        expect(nodeObjects(broken, ALL).map(o => o.id)).to.not.include('nodes.0c0ffee1.telemetry.environment');
    });

    it('covers the parent of every state in a batch', () => {
        const batch = nodeBatch(fullNode(), ALL);
        const known = new Set(batch.objects.map(o => o.id));
        for (const entry of batch.states) {
            const parent = entry.id.slice(0, entry.id.lastIndexOf('.'));
            expect(known.has(parent), entry.id).to.equal(true);
        }
        for (const obj of batch.objects) {
            const parent = obj.id.includes('.') ? obj.id.slice(0, obj.id.lastIndexOf('.')) : undefined;
            if (parent) {
                const index = batch.objects.findIndex(o => o.id === parent);
                expect(index, obj.id).to.be.within(0, batch.objects.indexOf(obj) - 1);
            }
        }
    });

    it('names devices "<long name> (!hex)" or "!hex", without control characters', () => {
        expect(nodeDisplayName(fullNode('0000000a', { user: undefined }))).to.equal('!0000000a');
        const user = { ...fullNode().user!, longName: ' Evil\u0000\nName\u007f ' };
        expect(nodeDisplayName(fullNode('0000000a', { user }))).to.equal('Evil  Name (!0000000a)');
        expect(nodeDisplayName(fullNode('0000000a', { user: { ...user, longName: '   ' } }))).to.equal('!0000000a');
    });

    it('never puts a hostile name into an id and ignores invalid hex', () => {
        fc.assert(
            fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 }), (longName, metric) => {
                const user = { ...fullNode().user!, longName, shortName: longName };
                const node = fullNode('deadbeef', { user, telemetry: { environment: { [metric]: 1 } } });
                for (const entry of nodeStateValues(node, ALL)) {
                    expectValidId(entry.id);
                    expect(entry.id.split('.').length).to.be.within(3, 5);
                }
                for (const obj of nodeObjects(node, ALL)) {
                    expectValidId(obj.id);
                }
            }),
            { numRuns: 300 },
        );
        const bad = fullNode('a1b2c3d4', { hex: '../EVIL.x' });
        expect(nodeStateValues(bad, ALL)).to.deep.equal([]);
        expect(nodeObjects(bad, ALL)).to.deep.equal([]);
    });
});
