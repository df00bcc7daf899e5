import { expect } from 'chai';
import fc from 'fast-check';
import type { DecodedPacket, MeshPayload, OpaquePacket, TelemetryVariant } from '../codec/types';
import { decoded, gw, mapReportPacket, meshOptions, MINUTE, opaque, T0 } from '../../test-support/mesh-fixtures';
import { MAX_EXTRA_CHANNELS, MAX_UNKNOWN_CHANNELS } from './channels';
import { MeshModel } from './model';

const variants: TelemetryVariant[] = ['device', 'environment', 'airQuality', 'power', 'localStats', 'health', 'host'];

const nodeNum = fc.oneof(
    fc.integer({ min: 0, max: 40 }).map(n => 0x1000 + n),
    fc.constantFrom(0, 1, 3, 0xffffffff),
    fc.integer({ min: 0, max: 0xffffffff }),
);

const anyString = fc.string({ maxLength: 80, unit: 'binary' });

const payload: fc.Arbitrary<MeshPayload> = fc.oneof(
    anyString.map(t => ({ type: 'text' as const, text: t })),
    fc
        .record({
            longName: anyString,
            shortName: anyString,
            hwModel: anyString,
            role: anyString,
            key: fc.option(fc.uint8Array({ minLength: 0, maxLength: 40 })),
        })
        .map(u => ({
            type: 'nodeinfo' as const,
            user: {
                id: '!00000000',
                longName: u.longName,
                shortName: u.shortName,
                hwModel: u.hwModel,
                hwModelNumber: 0,
                role: u.role,
                roleNumber: 0,
                isLicensed: false,
                isUnmessagable: false,
                publicKey: u.key ?? undefined,
            },
        })),
    fc
        .record({
            latitude: fc.option(fc.double({ noNaN: false }), { nil: undefined }),
            longitude: fc.option(fc.double(), { nil: undefined }),
            precisionBits: fc.integer({ min: 0, max: 40 }),
        })
        .map(p => ({ type: 'position' as const, position: { ...p, accuracyMeters: 0 } })),
    fc
        .record({
            variant: fc.constantFrom(...variants),
            metrics: fc.dictionary(fc.string({ maxLength: 12 }), fc.double(), { maxKeys: 80 }),
        })
        .map(t => ({ type: 'telemetry' as const, telemetry: { variant: t.variant, time: 0, metrics: t.metrics } })),
    fc
        .array(fc.record({ nodeId: fc.integer({ min: 0, max: 0xffffffff }), snr: fc.double() }), { maxLength: 60 })
        .map(neighbors => ({
            type: 'neighborinfo' as const,
            neighborInfo: { nodeId: 1, lastSentById: 1, broadcastIntervalSecs: 0, neighbors },
        })),
    fc.constant({ type: 'raw' as const, portnum: 5, bytes: new Uint8Array(0) }),
);

type Step =
    | { kind: 'decoded'; packet: DecodedPacket; dt: number }
    | { kind: 'opaque'; packet: OpaquePacket; dt: number }
    | { kind: 'map'; packet: DecodedPacket; dt: number }
    | { kind: 'tick' | 'purge'; dt: number };

const header = fc.record({
    hopStart: fc.integer({ min: -1, max: 9 }),
    hopLimit: fc.integer({ min: -1, max: 9 }),
    viaMqtt: fc.boolean(),
    rxSnr: fc.oneof(fc.constant(0), fc.double()),
    rxRssi: fc.integer({ min: -200, max: 0 }),
    channel: fc.integer({ min: 0, max: 300 }),
});

const gateway = fc.oneof(nodeNum.map(gw), anyString);

const step: fc.Arbitrary<Step> = fc.oneof(
    {
        weight: 6,
        arbitrary: fc
            .record({
                from: nodeNum,
                to: fc.oneof(nodeNum, fc.constant(0xffffffff)),
                id: fc.integer({ min: 0, max: 30 }),
                gateway,
                channelName: fc.oneof(fc.constant('LongFast'), anyString),
                encryption: fc.constantFrom('none' as const, 'channel' as const, 'pki' as const),
                payload,
                header,
                bitfield: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
                dt: fc.integer({ min: 0, max: 20 * MINUTE }),
            })
            .map(s => ({
                kind: 'decoded' as const,
                dt: s.dt,
                packet: decoded({
                    from: s.from,
                    to: s.to,
                    id: s.id,
                    gateway: s.gateway,
                    channelName: s.channelName,
                    encryption: s.encryption,
                    payload: s.payload,
                    header: s.header,
                    data: { bitfield: s.bitfield },
                }),
            })),
    },
    {
        weight: 2,
        arbitrary: fc
            .record({
                from: nodeNum,
                id: fc.integer({ min: 0, max: 30 }),
                gateway,
                channelId: anyString,
                reason: fc.constantFrom('pki' as const, 'decrypt' as const),
                header,
                dt: fc.integer({ min: 0, max: MINUTE }),
            })
            .map(s => ({
                kind: 'opaque' as const,
                dt: s.dt,
                packet: opaque({
                    from: s.from,
                    id: s.id,
                    gateway: s.gateway,
                    channelId: s.channelId,
                    reason: s.reason,
                    header: s.header,
                }),
            })),
    },
    {
        weight: 1,
        arbitrary: fc
            .record({ from: nodeNum, name: anyString, dt: fc.integer({ min: 0, max: MINUTE }) })
            .map(s => ({ kind: 'map' as const, dt: s.dt, packet: mapReportPacket(s.from, { longName: s.name }) })),
    },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 * 86_400_000 }).map(dt => ({ kind: 'tick' as const, dt })) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 * 86_400_000 }).map(dt => ({ kind: 'purge' as const, dt })) },
);

describe('mesh: MeshModel properties', () => {
    it('random packet streams never exceed the bounds and never throw', () => {
        fc.assert(
            fc.property(
                fc.record({
                    maxNodes: fc.integer({ min: 1, max: 12 }),
                    historySize: fc.integer({ min: 1, max: 4 }),
                    maxHops: fc.integer({ min: 0, max: 7 }),
                    ownNodeNum: fc.constantFrom(0, 0x1001),
                    allow: fc.boolean(),
                }),
                fc.array(step, { maxLength: 120 }),
                (opts, steps) => {
                    const m = new MeshModel(
                        meshOptions({
                            maxNodes: opts.maxNodes,
                            historySize: opts.historySize,
                            maxHops: opts.maxHops,
                            ownNodeNum: opts.ownNodeNum,
                            purgeDays: 1,
                            allowList: opts.allow ? new Set([0x1002, 0x1003, 0x1004]) : new Set<number>(),
                            dedupMaxEntries: 20,
                        }),
                        ['LongFast', 'Private'],
                    );
                    let now = T0;
                    const live = new Set<number>();
                    for (const s of steps) {
                        now += s.dt;
                        const events =
                            s.kind === 'decoded' || s.kind === 'map'
                                ? m.ingest(s.packet, now)
                                : s.kind === 'opaque'
                                  ? m.ingestOpaque(s.packet, now)
                                  : s.kind === 'tick'
                                    ? m.tick(now)
                                    : m.purge(now);
                        const seen = new Set<number>();
                        for (const e of events) {
                            if (e.type === 'node') {
                                expect(seen.has(e.node.num), 'one node event per node').to.equal(false);
                                seen.add(e.node.num);
                                expect(e.sections.size > 0 || e.isNew).to.equal(true);
                                expect(m.node(e.node.num)).to.equal(e.node);
                                live.add(e.node.num);
                            } else if (e.type === 'nodeRemoved') {
                                expect(live.has(e.num), 'removal of an announced node').to.equal(true);
                                live.delete(e.num);
                            }
                        }
                        expect(m.nodeCount()).to.be.at.most(opts.maxNodes);
                        expect(m.channels().length).to.be.at.most(2 + MAX_EXTRA_CHANNELS);
                        expect(m.unknownChannels().length).to.be.at.most(MAX_UNKNOWN_CHANNELS);
                        for (const c of m.channels()) {
                            expect(c.history.length).to.be.at.most(opts.historySize);
                        }
                    }
                    // Every node the consumer was told about and not told to remove still exists, and vice versa.
                    expect([...live].sort()).to.deep.equal([...m.nodes()].map(n => n.num).sort());
                    for (const node of m.nodes()) {
                        expect(node.history.length).to.be.at.most(opts.historySize);
                        expect(node.id).to.equal(gw(node.num));
                        expect(node.num).to.not.equal(opts.ownNodeNum || -1);
                        expect([...(node.user?.longName ?? '')].length).to.be.at.most(40);
                        expect([...(node.user?.shortName ?? '')].length).to.be.at.most(8);
                        expect([...(node.user?.longName ?? '')].some(c => c.charCodeAt(0) < 0x20)).to.equal(false);
                        if (opts.allow) {
                            expect([0x1002, 0x1003, 0x1004]).to.include(node.num);
                        }
                        for (const metrics of Object.values(node.telemetry)) {
                            expect(Object.keys(metrics ?? {}).length).to.be.at.most(64);
                        }
                    }
                    const stats = m.stats();
                    expect(stats.duplicates).to.be.at.most(stats.received);
                },
            ),
            { numRuns: 300 },
        );
    });
});
