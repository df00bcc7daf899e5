import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { sanitizeRecord } from '../mesh/node-store';
import type { MeshEvent, MeshStats, NodeRecord, NodeSection, UnknownChannelRecord } from '../mesh/types';
import type { SendStatus } from '../send/types';
import { ALL_METRICS, channelRecord, fullNode, textMessage } from './fixtures.test';
import {
    allNodeSections,
    channelBaseId,
    channelObjects,
    channelStates,
    clientsBatch,
    connectionBatch,
    FORBIDDEN_CHARS,
    isDirectToUs,
    messageBatch,
    messageStates,
    nodeBatch,
    nodeDisplayName,
    nodeHexOf,
    nodeObjects,
    sectionHasData,
    nodeStateValues,
    nodeSummary,
    restoreNodes,
    rootObjects,
    sanitizeIdPart,
    sendStateTarget,
    sendStatusBatch,
    type StateEntry,
    statsStates,
} from './mapping';
import {
    CHANNEL_SEND_STATES,
    CHANNEL_STATES,
    INFO_CLIENTS,
    INFO_CONNECTION,
    MESSAGE_DIRECT,
    MESSAGE_LAST,
    MESSAGE_LAST_SENT,
    NODE_COMMAND_STATE_IDS,
    NODE_CONTAINERS,
    NODE_SEND_STATES,
    NODE_STATES,
    ROOT_CONTAINERS,
    type StateCommonSpec,
    STATS_STATES,
    TELEMETRY_METRICS,
    TELEMETRY_VARIANTS,
} from './table';

/**
 * Roles of the official list (ioBroker.docs stateroles.md / repochecker config_StateRoles.js) with the checker's
 * type and read/write rules. Everything the table uses must be in here.
 */
const ROLE_RULES: Record<string, { types: string[]; read?: boolean; write?: boolean }> = {
    value: { types: ['number'], read: true, write: false },
    'value.temperature': { types: ['number'], read: true, write: false },
    'value.humidity': { types: ['number'], read: true, write: false },
    'value.pressure': { types: ['number'], read: true, write: false },
    'value.battery': { types: ['number'], read: true, write: false },
    'value.voltage': { types: ['number'], read: true, write: false },
    'value.current': { types: ['number'], read: true, write: false },
    'value.power': { types: ['number'], read: true, write: false },
    'value.gps': { types: ['string'], read: true, write: false },
    'value.gps.latitude': { types: ['number'], read: true, write: false },
    'value.gps.longitude': { types: ['number'], read: true, write: false },
    'value.gps.elevation': { types: ['number'], read: true, write: false },
    'value.gps.accuracy': { types: ['number'], read: true, write: false },
    'value.speed': { types: ['number'], read: true, write: false },
    'value.speed.wind': { types: ['number'], read: true, write: false },
    'value.speed.wind.gust': { types: ['number'], read: true, write: false },
    'value.direction.wind': { types: ['number'], read: true, write: false },
    'value.rain': { types: ['number'], read: true, write: false },
    'value.rain.hour': { types: ['number'], read: true, write: false },
    'value.rssi': { types: ['number'], read: true, write: false },
    'value.interval': { types: ['number'], read: true, write: false },
    'value.brightness': { types: ['number'], read: true, write: false },
    'value.distance': { types: ['number'], read: true, write: false },
    'value.airquality': { types: ['number'], read: true, write: false },
    'value.co2': { types: ['number'], read: true, write: false },
    'value.ch2o': { types: ['number'], read: true, write: false },
    'value.pm1': { types: ['number'], read: true, write: false },
    'value.pm25': { types: ['number'], read: true, write: false },
    'value.pm10': { types: ['number'], read: true, write: false },
    'value.uv': { types: ['number'], read: true, write: false },
    'value.health.bpm': { types: ['number'], read: true, write: false },
    'value.time': { types: ['number'], read: true, write: false },
    date: { types: ['string', 'number'], read: true },
    indicator: { types: ['boolean'], read: true, write: false },
    'indicator.reachable': { types: ['boolean'], read: true, write: false },
    'indicator.connected': { types: ['boolean'], read: true, write: false },
    'info.name': { types: ['string'], read: true },
    'info.address': { types: ['string'], read: true, write: false },
    'info.hardware': { types: ['string'], read: true, write: false },
    'info.firmware': { types: ['string', 'number'], read: true, write: false },
    text: { types: ['string'] },
    json: { types: ['string'] },
};

/** Units the role doc prescribes (where it does). */
const ROLE_UNITS: Record<string, (string | undefined)[]> = {
    'value.temperature': ['°C'],
    'value.humidity': ['%'],
    'value.pressure': ['hPa'],
    'value.battery': ['%'],
    'value.voltage': ['V'],
    'value.current': ['A', 'mA'],
    'value.gps.latitude': ['°'],
    'value.gps.longitude': ['°'],
    'value.gps.elevation': ['m'],
    'value.gps.accuracy': ['m'],
    'value.rssi': ['dBm'],
    'value.interval': ['s'],
    'value.brightness': ['lux'],
    'value.co2': ['ppm'],
    'value.pm1': ['µg/m³'],
    'value.pm25': ['µg/m³'],
    'value.pm10': ['µg/m³'],
    'value.rain': ['mm'],
    'value.rain.hour': ['mm'],
    'value.direction.wind': ['°'],
    date: [undefined],
};

/** Keys the checker accepts in a state's common (STATE_SCHEMA). */
const COMMON_KEYS = new Set([
    'name',
    'type',
    'role',
    'unit',
    'read',
    'write',
    'states',
    'min',
    'max',
    'step',
    'def',
    'desc',
]);

const VALID_LEVEL = /^[\p{Ll}\p{Lu}\p{Nd}_-]+$/u;

interface NamedCommon {
    where: string;
    id: string;
    common: StateCommonSpec;
    /** Command state the user writes (only the `send` states). */
    writable?: boolean;
}

function allCommons(): NamedCommon[] {
    const out: NamedCommon[] = [];
    for (const spec of NODE_STATES) {
        out.push({ where: 'node', id: `nodes.x.${spec.id}`, common: spec.common });
    }
    for (const variant of TELEMETRY_VARIANTS) {
        for (const [key, metric] of Object.entries(TELEMETRY_METRICS[variant])) {
            const common: StateCommonSpec = {
                name: metric.name,
                type: 'number',
                role: metric.role,
                read: true,
                write: false,
            };
            if (metric.unit !== undefined) {
                common.unit = metric.unit;
            }
            out.push({ where: 'metric', id: `nodes.x.telemetry.${variant}.${key}`, common });
        }
    }
    for (const spec of CHANNEL_STATES) {
        out.push({ where: 'channel', id: `channels.x.${spec.id}`, common: spec.common });
    }
    for (const spec of [...STATS_STATES, MESSAGE_LAST, MESSAGE_DIRECT, INFO_CONNECTION, INFO_CLIENTS]) {
        out.push({ where: 'fixed', id: spec.id, common: spec.common });
    }
    out.push({ where: 'fixed', id: MESSAGE_LAST_SENT.id, common: MESSAGE_LAST_SENT.common });
    for (const [base, specs] of [
        ['channels.x', CHANNEL_SEND_STATES],
        ['nodes.x', NODE_SEND_STATES],
    ] as const) {
        out.push({ where: 'send', id: `${base}.${specs.send.id}`, common: specs.send.common, writable: true });
        out.push({ where: 'send', id: `${base}.${specs.status.id}`, common: specs.status.common });
    }
    return out;
}

function valueType(value: ioBroker.StateValue): string {
    return value === null ? 'null' : typeof value;
}

function expectValidId(id: string): void {
    expect(id.length, id).to.be.at.most(240);
    for (const level of id.split('.')) {
        expect(level, `level of ${id}`).to.match(VALID_LEVEL);
    }
    expect(id.replace(FORBIDDEN_CHARS, ''), id).to.equal(id);
}

function expectEntryValid(entry: StateEntry): void {
    expectValidId(entry.id);
    expect(valueType(entry.value), entry.id).to.equal(entry.common.type);
    if (typeof entry.value === 'number') {
        expect(Number.isFinite(entry.value), entry.id).to.equal(true);
    }
    if (entry.common.role === 'json') {
        expect(() => JSON.parse(entry.value as string), entry.id).not.to.throw();
    }
}

const ALL = allNodeSections();

describe('states/table', () => {
    it('uses only official roles, with matching type and read/write', () => {
        for (const { id, common, writable } of allCommons()) {
            const rule = ROLE_RULES[common.role];
            expect(rule, `${id}: role ${common.role}`).to.not.equal(undefined);
            expect(rule.types, `${id}: type for ${common.role}`).to.include(common.type);
            if (rule.read !== undefined) {
                expect(common.read, id).to.equal(rule.read);
            }
            if (rule.write !== undefined) {
                expect(common.write, id).to.equal(rule.write);
            }
            expect(common.read, id).to.equal(true);
            expect(common.write, id).to.equal(writable === true);
            expect(common.name, id).to.be.a('string').and.not.equal('');
            for (const key of Object.keys(common)) {
                expect(COMMON_KEYS.has(key), `${id}: common.${key}`).to.equal(true);
            }
        }
    });

    it('uses the units the role doc prescribes', () => {
        for (const { id, common } of allCommons()) {
            const units = ROLE_UNITS[common.role];
            if (units) {
                expect(units, `${id} (${common.role}) unit ${common.unit}`).to.include(common.unit);
            }
        }
    });

    it('uses a detailed role at most once per channel', () => {
        const seen = new Map<string, string>();
        for (const { id, common } of allCommons()) {
            if (!common.role.includes('.')) {
                continue;
            }
            const parent = id.slice(0, id.lastIndexOf('.'));
            const key = `${parent}|${common.role}`;
            expect(seen.get(key), `${id} repeats ${common.role} of ${seen.get(key)}`).to.equal(undefined);
            seen.set(key, id);
        }
    });

    it('has unique node state ids, valid levels, and a container for every parent', () => {
        const ids = NODE_STATES.map(s => s.id);
        expect(new Set(ids).size).to.equal(ids.length);
        for (const spec of NODE_STATES) {
            expectValidId(`nodes.a1b2c3d4.${spec.id}`);
            const levels = spec.id.split('.');
            for (let i = 1; i < levels.length; i++) {
                const parent = levels.slice(0, i).join('.');
                expect(NODE_CONTAINERS[parent], `${spec.id}: container ${parent}`).to.not.equal(undefined);
            }
        }
        for (const variant of TELEMETRY_VARIANTS) {
            expect(NODE_CONTAINERS[`telemetry.${variant}`]?.type).to.equal('channel');
            for (const key of Object.keys(TELEMETRY_METRICS[variant])) {
                expectValidId(`nodes.a1b2c3d4.telemetry.${variant}.${key}`);
                expect(
                    NODE_STATES.some(s => s.id === `telemetry.${variant}.${key}`),
                    key,
                ).to.equal(false);
            }
        }
    });

    it('knows every field of the Meshtastic telemetry messages', () => {
        for (const variant of TELEMETRY_VARIANTS) {
            expect(Object.keys(TELEMETRY_METRICS[variant]).sort(), variant).to.deep.equal(
                Object.keys(ALL_METRICS[variant]).sort(),
            );
        }
    });

    it('keeps the hierarchy legal: folders/channels below the device, no device below a channel', () => {
        expect(ROOT_CONTAINERS.nodes.type).to.equal('folder');
        expect(ROOT_CONTAINERS.channels.type).to.equal('folder');
        for (const [id, spec] of Object.entries(NODE_CONTAINERS)) {
            expect(spec.type, id).to.be.oneOf(['folder', 'channel']);
            const parent = id.includes('.') ? id.slice(0, id.lastIndexOf('.')) : undefined;
            if (parent) {
                // a channel may sit in a folder, never the other way round below a channel
                expect(NODE_CONTAINERS[parent].type, id).to.equal('folder');
            }
        }
    });
});

describe('states/mapping: nodes', () => {
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

    it('extracts the node hex of an id', () => {
        expect(nodeHexOf('nodes.a1b2c3d4')).to.equal('a1b2c3d4');
        expect(nodeHexOf('nodes.a1b2c3d4.info.id')).to.equal('a1b2c3d4');
        expect(nodeHexOf('nodes.xyz.info')).to.equal(undefined);
        expect(nodeHexOf('channels.a1b2c3d4')).to.equal(undefined);
    });
});

describe('states/mapping: ids', () => {
    it('sanitises id parts', () => {
        expect(sanitizeIdPart('LongFast')).to.equal('LongFast');
        expect(sanitizeIdPart('a.b')).to.equal('a_b');
        expect(sanitizeIdPart('my channel#1+x/y*z?')).to.equal('my_channel_1_x_y_z_');
        expect(sanitizeIdPart('')).to.equal('_');
        expect(sanitizeIdPart('Grüße')).to.equal('Grüße');
        expect(sanitizeIdPart('x'.repeat(200))).to.have.length(48);
        expect(channelBaseId('Admin.Chan')).to.equal('channels.Admin_Chan');
    });

    it('keeps any channel name to exactly one valid id level', () => {
        fc.assert(
            fc.property(
                fc.oneof(fc.string({ maxLength: 100 }), fc.string({ unit: 'binary', maxLength: 100 })),
                name => {
                    const id = channelBaseId(name);
                    expectValidId(id);
                    expect(id.split('.')).to.have.length(2);
                    for (const entry of channelStates(channelRecord(name))) {
                        expectValidId(entry.id);
                        expect(entry.id.split('.')).to.have.length(3);
                    }
                },
            ),
            { numRuns: 500 },
        );
    });
});

describe('states/mapping: channels, messages, stats, info', () => {
    it('maps a channel record', () => {
        const messages = [textMessage({ text: 'one' }), textMessage({ text: 'two', fromName: '!a1b2c3d4' })];
        const entries = channelStates(channelRecord('LongFast', messages));
        const byId = new Map(entries.map(e => [e.id, e]));
        expect(byId.get('channels.LongFast.lastMessage')?.value).to.equal('two');
        expect(byId.get('channels.LongFast.lastMessage')?.event).to.equal(true);
        expect(byId.get('channels.LongFast.lastSender')?.value).to.equal('!a1b2c3d4');
        expect(JSON.parse(byId.get('channels.LongFast.history')?.value as string)).to.deep.equal(messages);
        entries.forEach(expectEntryValid);
        expect(channelStates({ name: 'Empty', history: [] }).map(e => e.id)).to.deep.equal(['channels.Empty.history']);
        expect(channelStates(channelRecord('X', [textMessage()]))[1].value).to.equal('Alpha Base (!a1b2c3d4)');
        expect(channelObjects('Long.Fast')).to.deep.equal([
            { id: 'channels', type: 'folder', common: { name: 'Channels' } },
            { id: 'channels.Long_Fast', type: 'channel', common: { name: 'Long.Fast' } },
            { id: 'channels.Long_Fast.send', type: 'state', common: CHANNEL_SEND_STATES.send.common },
            { id: 'channels.Long_Fast.sendStatus', type: 'state', common: CHANNEL_SEND_STATES.status.common },
        ]);
    });

    it('maps channel texts and DMs to messages.last / messages.direct', () => {
        const message = textMessage();
        const channelEvent: MeshEvent = {
            type: 'channelMessage',
            channel: channelRecord('LongFast', [message]),
            message,
        };
        const entries = messageStates(channelEvent);
        expect(entries.map(e => e.id)).to.deep.equal([
            'channels.LongFast.lastMessage',
            'channels.LongFast.lastSender',
            'channels.LongFast.history',
            'messages.last',
        ]);
        expect(JSON.parse(entries[3].value as string)).to.deep.equal(message);
        const batch = messageBatch(channelEvent);
        expect(batch.objects.map(o => o.id)).to.deep.equal([
            'channels',
            'channels.LongFast',
            'channels.LongFast.send',
            'channels.LongFast.sendStatus',
            'messages',
        ]);

        const dm = textMessage({ direct: true, channel: 'PKI', encryption: 'pki', to: 0x1234 });
        const dmEntries = messageStates({ type: 'directMessage', message: dm }, 0x1234);
        expect(dmEntries.map(e => e.id)).to.deep.equal(['messages.direct', 'messages.last']);
        expect(dmEntries.every(e => e.event)).to.equal(true);
        expect(JSON.parse(dmEntries[0].value as string)).to.deep.equal(dm);
        expect(messageBatch({ type: 'nodeRemoved', num: 1, hex: '00000001', reason: 'purge' })).to.deep.equal({
            objects: [],
            states: [],
        });
    });

    it('writes messages.direct only for DMs addressed to our own node', () => {
        const dm = (to: number): MeshEvent => ({
            type: 'directMessage',
            message: textMessage({ direct: true, to, channel: 'LongFast' }),
        });
        const ids = (event: MeshEvent, own?: number): string[] => messageStates(event, own).map(e => e.id);
        expect(ids(dm(0x1234), 0x1234)).to.deep.equal(['messages.direct', 'messages.last']);
        expect(ids(dm(0xdeadbeef), 0xdeadbeef)).to.deep.equal(['messages.direct', 'messages.last']);
        expect(ids(dm(0x5678), 0x1234)).to.deep.equal(['messages.last']); // DM between other nodes
        expect(ids(dm(0x1234))).to.deep.equal(['messages.last']); // no own node (default 0)
        expect(ids(dm(0), 0)).to.deep.equal(['messages.last']);
        expect(messageBatch(dm(0x5678), 0x1234).states.map(e => e.id)).to.deep.equal(['messages.last']);
        expect(isDirectToUs({ to: -1 }, 0xffffffff)).to.equal(true); // compared as unsigned 32 bit
        expect(isDirectToUs({ to: 0 }, 0)).to.equal(false);
    });

    it('maps stats and the unknown channel list', () => {
        const stats: MeshStats = {
            received: 10,
            decoded: 8,
            duplicates: 1,
            undecryptable: 1,
            invalid: 0,
            ignored: 0,
            unknownChannels: 1,
            filtered: 0,
        };
        const unknown: UnknownChannelRecord[] = [
            { channelId: 'Secret', channelHash: 42, packets: 3, lastGateway: '!0badc0de', lastSeen: 1000 },
        ];
        const entries = statsStates(stats, unknown);
        entries.forEach(expectEntryValid);
        const byId = new Map(entries.map(e => [e.id, e.value]));
        for (const [key, value] of Object.entries(stats)) {
            expect(byId.get(`stats.${key}`), key).to.equal(value);
        }
        expect(JSON.parse(byId.get('stats.unknownChannelList') as string)).to.deep.equal([
            { channelId: 'Secret', hash: 42, packets: 3, lastGateway: '!0badc0de', lastSeen: 1000 },
        ]);
    });

    it('maps info.connection and info.clients', () => {
        expect(connectionBatch(true).states[0]).to.include({ id: 'info.connection', value: true });
        expect(clientsBatch(['gw1', 'gw2']).states[0]).to.include({ id: 'info.clients', value: '["gw1","gw2"]' });
        expect(rootObjects().map(o => o.id)).to.deep.equal(['nodes', 'channels', 'messages', 'stats', 'info']);
    });
});

const STATUS: SendStatus = {
    id: 0x1001,
    to: 'broadcast',
    channel: 'Long.Fast',
    status: 'sent',
    text: 'hi',
    time: 1_700_000_000_000,
};

describe('states/mapping: sending', () => {
    it('declares writable send states and read-only status states', () => {
        for (const specs of [CHANNEL_SEND_STATES, NODE_SEND_STATES]) {
            expect(specs.send.id).to.equal('send');
            expect(specs.send.common).to.deep.include({ type: 'string', role: 'text', read: true, write: true });
            expect(specs.send.common.name).to.match(/write with ack=false/);
            expect(specs.status.id).to.equal('sendStatus');
            expect(specs.status.common).to.deep.include({ type: 'string', role: 'json', read: true, write: false });
            expect(specs.status.event).to.equal(true);
        }
        expect(CHANNEL_SEND_STATES.send.common.name).to.equal('Send a text to this channel (write with ack=false)');
        expect(NODE_SEND_STATES.send.common.name).to.equal('Send a direct message to this node (write with ack=false)');
        expect(MESSAGE_LAST_SENT.id).to.equal('messages.lastSent');
        expect(MESSAGE_LAST_SENT.common).to.deep.include({ type: 'string', role: 'json', read: true, write: false });
        expect(MESSAGE_LAST_SENT.event).to.equal(true);
        expect([...NODE_COMMAND_STATE_IDS].sort()).to.deep.equal(['send', 'sendStatus']);
        // the send states never clash with a data state of a node or a channel
        for (const spec of [...NODE_STATES, ...CHANNEL_STATES]) {
            expect(['send', 'sendStatus']).to.not.include(spec.id);
        }
    });

    it('matches the io-package instance object of messages.lastSent', () => {
        const io = JSON.parse(readFileSync(join(__dirname, '../../../io-package.json'), 'utf8')) as {
            instanceObjects: { _id: string; common: Record<string, unknown> & { name: { en: string } } }[];
        };
        const obj = io.instanceObjects.find(o => o._id === 'messages.lastSent');
        expect(obj, 'messages.lastSent in io-package').to.not.equal(undefined);
        expect(obj!.common).to.deep.include({ type: 'string', role: 'json', read: true, write: false });
        expect(obj!.common.name.en).to.equal(MESSAGE_LAST_SENT.common.name);
    });

    it('creates the send state objects under the device and the channel, parents first', () => {
        const nodeObjs = nodeObjects(fullNode(), new Set<NodeSection>());
        expect(nodeObjs.map(o => o.id)).to.deep.equal([
            'nodes',
            'nodes.a1b2c3d4',
            'nodes.a1b2c3d4.send',
            'nodes.a1b2c3d4.sendStatus',
        ]);
        const send = nodeObjs[2];
        expect(send.type).to.equal('state');
        expect(send.common).to.equal(NODE_SEND_STATES.send.common);
        expect(nodeObjs[3].common).to.equal(NODE_SEND_STATES.status.common);
        expect(channelObjects('x').map(o => o.id)).to.deep.equal([
            'channels',
            'channels.x',
            'channels.x.send',
            'channels.x.sendStatus',
        ]);
        // a node batch never writes a value into send/sendStatus
        for (const entry of nodeStateValues(fullNode(), ALL)) {
            expect(entry.id).to.not.match(/\.send(Status)?$/);
        }
    });

    it('maps a send status to <target>.sendStatus and messages.lastSent (event-like)', () => {
        const channel = sendStatusBatch(STATUS, { kind: 'channel', name: 'Long.Fast' });
        expect(channel.objects.map(o => o.id)).to.deep.equal([
            'channels',
            'channels.Long_Fast',
            'channels.Long_Fast.send',
            'channels.Long_Fast.sendStatus',
            'messages',
        ]);
        expect(channel.states.map(e => [e.id, e.event])).to.deep.equal([
            ['channels.Long_Fast.sendStatus', true],
            ['messages.lastSent', true],
        ]);
        channel.states.forEach(expectEntryValid);
        for (const entry of channel.states) {
            expect(JSON.parse(entry.value as string)).to.deep.equal(STATUS);
        }

        const failed: SendStatus = { ...STATUS, to: '!a1b2c3d4', channel: 'PKI', status: 'failed', error: 'no key' };
        const node = sendStatusBatch(failed, { kind: 'node', hex: 'a1b2c3d4' });
        expect(node.objects.map(o => o.id)).to.deep.equal([
            'nodes.a1b2c3d4.send',
            'nodes.a1b2c3d4.sendStatus',
            'messages',
        ]);
        expect(node.states.map(e => e.id)).to.deep.equal(['nodes.a1b2c3d4.sendStatus', 'messages.lastSent']);
        expect(JSON.parse(node.states[0].value as string)).to.deep.equal(failed);

        for (const target of [undefined, { kind: 'node' as const, hex: '../EVIL' }]) {
            const only = sendStatusBatch(failed, target);
            expect(only.objects.map(o => o.id)).to.deep.equal(['messages']);
            expect(only.states.map(e => e.id)).to.deep.equal(['messages.lastSent']);
        }
    });

    it('keeps hostile channel names to one valid id level in send and status ids', () => {
        fc.assert(
            fc.property(
                fc.oneof(fc.string({ maxLength: 100 }), fc.string({ unit: 'binary', maxLength: 100 })),
                name => {
                    const batch = sendStatusBatch({ ...STATUS, channel: name }, { kind: 'channel', name });
                    for (const obj of batch.objects) {
                        expectValidId(obj.id);
                    }
                    for (const entry of batch.states) {
                        expectEntryValid(entry);
                        expect(entry.id.split('.').length).to.be.oneOf([2, 3]);
                    }
                    const sendId = `${channelBaseId(name)}.send`;
                    expect(sendStateTarget(sendId)).to.deep.equal({
                        kind: 'channel',
                        name: sanitizeIdPart(name),
                        id: sanitizeIdPart(name),
                    });
                    expect(
                        sendStateTarget(sendId, part => (part === sanitizeIdPart(name) ? name : undefined)),
                    ).to.deep.equal({ kind: 'channel', name, id: sanitizeIdPart(name) });
                },
            ),
            { numRuns: 300 },
        );
    });

    it('maps send state ids to their target and nothing else', () => {
        const names = new Map([['Long_Fast', 'Long.Fast']]);
        const resolve = (part: string): string | undefined => names.get(part);
        expect(sendStateTarget('channels.Long_Fast.send', resolve)).to.deep.equal({
            kind: 'channel',
            name: 'Long.Fast',
            id: 'Long_Fast',
        });
        expect(sendStateTarget('channels.LongFast.send')).to.deep.equal({
            kind: 'channel',
            name: 'LongFast',
            id: 'LongFast',
        });
        expect(sendStateTarget('nodes.a1b2c3d4.send')).to.deep.equal({ kind: 'node', hex: 'a1b2c3d4' });
        for (const id of [
            'channels.Unknown.send', // not configured
            'channels.Long_Fast.sendStatus',
            'channels.Long_Fast.lastMessage',
            'channels.Long.Fast.send',
            'channels..send',
            'channels.a b.send',
            'channels.a#b.send',
            'channels.Long_Fast.send.x',
            'channels.send',
            'nodes.A1B2C3D4.send',
            'nodes.a1b2c3d.send',
            'nodes.a1b2c3d4.sendStatus',
            'nodes.a1b2c3d4.info.send',
            'nodes.a1b2c3d4.messages.lastText',
            'messages.lastSent',
            'info.send',
            'meshtastic.0.nodes.a1b2c3d4.send',
            '',
            'send',
        ]) {
            expect(sendStateTarget(id, resolve), id).to.equal(undefined);
        }
        fc.assert(
            fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), (a, b) => {
                const target = sendStateTarget(`${a}.${b}.send`, part => `name of ${part}`);
                if (target?.kind === 'channel') {
                    expect(a).to.equal('channels');
                    expect(target.id).to.equal(b).and.to.equal(sanitizeIdPart(b));
                } else if (target?.kind === 'node') {
                    expect(a).to.equal('nodes');
                    expect(target.hex).to.match(/^[0-9a-f]{8}$/);
                }
            }),
            { numRuns: 300 },
        );
    });

    it('never restores send or sendStatus values into a node', () => {
        const restored = restoreNodes([
            ['nodes.00000007.send', 'hello'],
            ['nodes.00000007.sendStatus', JSON.stringify(STATUS)],
        ]);
        expect(restored).to.deep.equal([]);
        const [node] = restoreNodes([
            ['nodes.00000008.info.longName', 'Eight'],
            ['nodes.00000008.send', 'hello'],
        ]);
        expect(node.user?.longName).to.equal('Eight');
        expect(node.lastText).to.equal(undefined);
        expect(node.history).to.deep.equal([]);
    });
});

describe('states/mapping: restoring nodes from stored states', () => {
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

describe('states/mapping: nodeSummary', () => {
    it('summarises a node; details only with detailed === true (safe for Array.map)', () => {
        const node = fullNode();
        const summary = nodeSummary(node);
        expect(summary).to.deep.include({
            id: '!a1b2c3d4',
            hex: 'a1b2c3d4',
            objectId: 'nodes.a1b2c3d4',
            name: 'Alpha Base (!a1b2c3d4)',
            longName: 'Alpha Base',
            presence: 'rf',
            hopsAway: 1,
            latitude: 48.1234567,
        });
        expect(summary.details).to.equal(undefined);
        expect([node, node].map(nodeSummary).every(s => s.details === undefined)).to.equal(true);
        expect(nodeSummary(node, true).details?.telemetry).to.deep.equal(node.telemetry);
        expect(() => JSON.stringify(nodeSummary(node, true))).not.to.throw();
    });
});
