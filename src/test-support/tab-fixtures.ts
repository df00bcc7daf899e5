/**
 * The tab feed's test bench: a real mesh model feeding a TabFeed, rows as objects, and send statuses / text messages
 * as the messenger and the model produce them. Not compiled into the build (tsconfig.build excludes src/test-support/**).
 */
import { expect } from 'chai';
import { MeshModel } from '../lib/mesh/model';
import type { MeshEvent, MeshOptions, TextMessage } from '../lib/mesh/types';
import type { SendStatus } from '../lib/send/types';
import { TAB_ROW_COLUMNS, TabFeed, type TabFeedOptions, type TabPoll, type TabRow } from '../lib/tab/feed';
import { decoded, gw, meshOptions, T0 } from './mesh-fixtures';

export const A = 0x11111111;
export const B = 0x22222222;
export const C = 0x33333333;
export const D = 0x44444444;
export const GW1 = 0x0a0a0a0a;
export const GW2 = 0x0b0b0b0b;
export const OWN = 0x0c0c0c0c;
export const EPOCH = 1_000;

export type Column = (typeof TAB_ROW_COLUMNS)[number];
export type RowObject = Record<Column, TabRow[number]>;

export function rowObject(row: TabRow): RowObject {
    expect(row).to.have.length(TAB_ROW_COLUMNS.length);
    return Object.fromEntries(TAB_ROW_COLUMNS.map((column, i) => [column, row[i]])) as RowObject;
}

export function rowsByHex(poll: TabPoll): Map<string, RowObject> {
    return new Map(poll.rows.map(row => [row[0] as string, rowObject(row)]));
}

export function hexes(poll: TabPoll): string[] {
    return poll.rows.map(row => row[0] as string).sort();
}

export function hexOf(num: number): string {
    return gw(num).slice(1);
}

/** A real mesh model with its feed: every ingest/tick goes through the model and its events into the feed. */
export class Harness {
    readonly model: MeshModel;
    readonly feed: TabFeed;

    constructor(mesh: Partial<MeshOptions> = {}, feed: Partial<TabFeedOptions> = {}, channels = ['LongFast']) {
        this.model = new MeshModel(meshOptions(mesh), channels);
        this.feed = new TabFeed(this.model, { ownNodeNum: 0, epoch: EPOCH, ...feed });
    }

    ingest(packet: Parameters<MeshModel['ingest']>[0], now: number): MeshEvent[] {
        const events = this.model.ingest(packet, now);
        this.feed.apply(events);
        return events;
    }

    tick(now: number): MeshEvent[] {
        const events = this.model.tick(now);
        this.feed.apply(events);
        return events;
    }

    /** A packet the node uplinks itself (it is its own gateway): only this node changes. */
    self(from: number, now: number, spec: Omit<Parameters<typeof decoded>[0], 'from' | 'gateway'> = {}): MeshEvent[] {
        return this.ingest(decoded({ ...spec, from, gateway: gw(from) }), now);
    }

    full(): TabPoll {
        return this.feed.poll(0, EPOCH);
    }
}

export function status(overrides: Partial<SendStatus>): SendStatus {
    return {
        id: 42,
        to: 'broadcast',
        channel: 'LongFast',
        status: 'queued',
        text: 'hello mesh',
        time: T0,
        ...overrides,
    };
}

export function textMessage(overrides: Partial<TextMessage>): TextMessage {
    const from = overrides.from ?? A;
    return {
        id: 1,
        from,
        fromId: gw(from),
        fromName: gw(from),
        to: 0xffffffff,
        channel: 'LongFast',
        text: 'hi',
        time: T0,
        direct: false,
        gateway: gw(GW1),
        viaMqtt: false,
        encryption: 'channel',
        ...overrides,
    };
}
