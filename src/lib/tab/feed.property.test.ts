import { expect } from 'chai';
import fc from 'fast-check';
import type { MeshPayload } from '../codec/types';
import {
    decoded,
    gw,
    MINUTE,
    neighborinfo,
    nodeinfo,
    position,
    T0,
    telemetry,
    text,
} from '../../test-support/mesh-fixtures';
import type { SendState } from '../send/types';
import type { TabFeed, TabPoll, TabRow } from './feed';
import { Harness, OWN, status } from '../../test-support/tab-fixtures';

describe('tab: TabFeed', () => {
    describe('properties', () => {
        type Step =
            | {
                  kind: 'packet';
                  from: number;
                  via: number;
                  to: number;
                  id: number;
                  hops: number;
                  payload: MeshPayload;
                  dt: number;
              }
            | { kind: 'tick'; dt: number }
            | { kind: 'send'; id: number; to: number; state: SendState; dt: number }
            | { kind: 'poll' }
            | { kind: 'reconnect' };

        const NODES = [0x100, 0x101, 0x102, 0x103, 0x104, 0x105, 0x106, 0x107];
        const node = fc.constantFrom(...NODES);
        const payload: fc.Arbitrary<MeshPayload> = fc.oneof(
            fc.string({ maxLength: 8 }).map(t => text(`t${t}`)),
            fc.string({ maxLength: 8 }).map(name => nodeinfo({ longName: name })),
            fc.integer({ min: -900, max: 900 }).map(n => position({ latitude: n / 10, longitude: n / 5 })),
            fc.integer({ min: 0, max: 100 }).map(n => telemetry('device', { batteryLevel: n, voltage: 3 + n / 100 })),
            fc.array(node, { maxLength: 3 }).map(ns =>
                neighborinfo(
                    0,
                    ns.map(n => ({ nodeId: n, snr: n % 7 })),
                ),
            ),
            fc.constant<MeshPayload>({ type: 'raw', portnum: 5, bytes: new Uint8Array(0) }),
        );
        const step: fc.Arbitrary<Step> = fc.oneof(
            {
                weight: 6,
                arbitrary: fc.record({
                    kind: fc.constant('packet' as const),
                    from: node,
                    // The sender itself (MQTT uplink) or another node as gateway.
                    via: node,
                    to: fc.oneof(fc.constant(0xffffffff), node),
                    id: fc.integer({ min: 1, max: 12 }),
                    hops: fc.integer({ min: 0, max: 3 }),
                    payload,
                    dt: fc.integer({ min: 0, max: 30 * MINUTE }),
                }),
            },
            {
                weight: 1,
                arbitrary: fc.record({
                    kind: fc.constant('tick' as const),
                    dt: fc.integer({ min: 0, max: 200 * MINUTE }),
                }),
            },
            {
                weight: 1,
                arbitrary: fc.record({
                    kind: fc.constant('send' as const),
                    id: fc.integer({ min: 0, max: 4 }),
                    to: fc.oneof(fc.constant(0xffffffff), node),
                    state: fc.constantFrom<SendState>('queued', 'sent', 'acked', 'failed'),
                    dt: fc.integer({ min: 0, max: MINUTE }),
                }),
            },
            { weight: 3, arbitrary: fc.constant({ kind: 'poll' as const }) },
            { weight: 1, arbitrary: fc.constant({ kind: 'reconnect' as const }) },
        );

        /** What the admin tab does with the answers: replace on full, else upsert rows and drop removed ones. */
        class Client {
            epoch = 0;
            rev = 0;
            readonly rows = new Map<string, TabRow>();
            readonly messages = new Map<string, unknown>();

            poll(feed: TabFeed): TabPoll {
                const answer = feed.poll(this.rev, this.epoch);
                if (answer.full) {
                    expect(answer.removed).to.deep.equal([]);
                    this.rows.clear();
                    this.messages.clear();
                }
                for (const row of answer.rows) {
                    this.rows.set(row[0] as string, row);
                }
                for (const hex of answer.removed) {
                    this.rows.delete(hex);
                }
                for (const message of answer.messages) {
                    this.messages.set(message.key, message);
                }
                this.epoch = answer.epoch;
                this.rev = answer.rev;
                return answer;
            }
        }

        function sortedRows(rows: Iterable<TabRow>): TabRow[] {
            return [...rows].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
        }

        it('a client applying every delta always holds exactly the rows of a full poll', () => {
            fc.assert(
                fc.property(
                    fc.record({
                        maxNodes: fc.integer({ min: 1, max: 6 }),
                        maxRemovals: fc.integer({ min: 1, max: 4 }),
                        maxMessages: fc.integer({ min: 1, max: 6 }),
                    }),
                    fc.array(step, { maxLength: 60, size: 'max' }),
                    (opts, steps) => {
                        const h = new Harness(
                            { maxNodes: opts.maxNodes, offlineMinutes: 60 },
                            { maxRemovals: opts.maxRemovals, maxMessages: opts.maxMessages, ownNodeNum: OWN },
                        );
                        const client = new Client();
                        let now = T0;
                        const check = (): void => {
                            client.poll(h.feed);
                            const full = h.full();
                            expect(sortedRows(client.rows.values())).to.deep.equal(sortedRows(full.rows));
                            expect(full.total).to.equal(full.rows.length);
                            expect(full.rows.length).to.equal(h.model.nodeCount());
                            for (const message of full.messages) {
                                expect(client.messages.get(message.key)).to.deep.equal(message);
                            }
                            // Polled again at once: nothing new (a feed still at revision 0 answers "full" with nothing).
                            expect(h.feed.poll(client.rev, client.epoch)).to.deep.include({
                                full: client.rev === 0,
                                rows: [],
                                removed: [],
                                messages: [],
                            });
                        };
                        for (const s of steps) {
                            switch (s.kind) {
                                case 'packet':
                                    now += s.dt;
                                    h.ingest(
                                        decoded({
                                            from: s.from,
                                            to: s.to,
                                            id: s.id,
                                            gateway: gw(s.via),
                                            payload: s.payload,
                                            header: { hopStart: 3, hopLimit: 3 - s.hops, rxSnr: s.hops + 0.25 },
                                        }),
                                        now,
                                    );
                                    break;
                                case 'tick':
                                    now += s.dt;
                                    h.tick(now);
                                    break;
                                case 'send':
                                    now += s.dt;
                                    h.feed.onSendStatus(
                                        status({
                                            id: s.id,
                                            to: s.to === 0xffffffff ? 'broadcast' : gw(s.to),
                                            status: s.state,
                                            time: now,
                                        }),
                                    );
                                    break;
                                case 'poll':
                                    check();
                                    break;
                                case 'reconnect':
                                    client.epoch = 0;
                                    client.rev = 0;
                                    break;
                            }
                        }
                        check();
                    },
                ),
                { numRuns: 200 },
            );
        });
    });
});
