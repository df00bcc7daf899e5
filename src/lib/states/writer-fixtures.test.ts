/** Shared helpers of the writer tests: fake DB latency, recording adapter, node events. */
import { expect } from 'chai';
import type { MeshEvent, NodeRecord, NodeSection } from '../mesh/types';
import type { SendStatus } from '../send/types';
import { FakeAdapter } from '../../test-support/fake-adapter';
import { allNodeSections } from './batches';
import { StateWriter } from './writer';

export const ALL = allNodeSections();

export function sections(...list: NodeSection[]): Set<NodeSection> {
    return new Set(list);
}

/** Latency that holds every DB call until released. */
export function manualLatency(): { latency: () => Promise<void>; release: () => void; held: () => number } {
    let waiters: (() => void)[] = [];
    return {
        latency: () => new Promise<void>(resolve => waiters.push(resolve)),
        release: () => {
            const now = waiters;
            waiters = [];
            now.forEach(resolve => resolve());
        },
        held: () => waiters.length,
    };
}

/** Latency of 0..3 macrotasks, following a fixed pattern. */
export function jitter(pattern: readonly number[]): () => Promise<void> {
    let i = 0;
    return async () => {
        const hops = pattern.length ? pattern[i++ % pattern.length] : 0;
        for (let h = 0; h < hops; h++) {
            await new Promise<void>(resolve => setImmediate(resolve));
        }
    };
}

export function objectsUnder(fake: FakeAdapter, prefix: string): string[] {
    return [...fake.objects.keys()].filter(id => id === prefix || id.startsWith(`${prefix}.`));
}

export function statesUnder(fake: FakeAdapter, prefix: string): string[] {
    return [...fake.states.keys()].filter(id => id.startsWith(`${prefix}.`));
}

export async function started(fake: FakeAdapter, options = {}): Promise<StateWriter> {
    const writer = new StateWriter(fake, options);
    await writer.init([]);
    return writer;
}

export function sendStatus(overrides: Partial<SendStatus> = {}): SendStatus {
    return {
        id: 0x2001,
        to: 'broadcast',
        channel: 'LongFast',
        status: 'queued',
        text: 'hello',
        time: 1_700_000_000_000,
        ...overrides,
    };
}

/** FakeAdapter that records the id of every object/state call when it is made (not when it completes). */
export class RecordingAdapter extends FakeAdapter {
    readonly touched: string[] = [];

    override setObjectNotExistsAsync(id: string, obj: ioBroker.SettableObject): Promise<{ id: string }> {
        this.touched.push(id);
        return super.setObjectNotExistsAsync(id, obj);
    }

    override extendObjectAsync(id: string, objPart: ioBroker.PartialObject): Promise<{ id: string }> {
        this.touched.push(id);
        return super.extendObjectAsync(id, objPart);
    }

    override setState(id: string, value: ioBroker.StateValue, ack: boolean): Promise<string> {
        this.touched.push(id);
        return super.setState(id, value, ack);
    }

    override delObjectAsync(id: string, options: ioBroker.DelObjectOptions): Promise<void> {
        this.touched.push(id);
        return super.delObjectAsync(id, options);
    }

    /** Calls made for ids of the node so far. */
    callsFor(hex: string): string[] {
        return this.touched.filter(id => id === `nodes.${hex}` || id.startsWith(`nodes.${hex}.`));
    }
}

export function newNode(node: NodeRecord): MeshEvent {
    return { type: 'node', node, sections: ALL, isNew: true };
}

export function updated(node: NodeRecord, ...list: NodeSection[]): MeshEvent {
    return { type: 'node', node, sections: sections(...list), isNew: false };
}

export function removed(hex: string): MeshEvent {
    return { type: 'nodeRemoved', num: parseInt(hex, 16), hex, reason: 'maxNodes' };
}

/** A writer on a DB whose calls are held until released (init already done). */
export async function heldWriter(
    options: ConstructorParameters<typeof StateWriter>[1],
): Promise<{ fake: RecordingAdapter; writer: StateWriter; gate: ReturnType<typeof manualLatency> }> {
    const gate = manualLatency();
    const fake = new RecordingAdapter({ latency: gate.latency });
    const writer = new StateWriter(fake, options);
    const init = writer.init();
    while (fake.calls.getStates === 0 || gate.held() > 0) {
        gate.release();
        await new Promise<void>(resolve => setImmediate(resolve));
    }
    await init;
    return { fake, writer, gate };
}

/** Releases held DB calls until `promise` settles (bounded). */
export async function releaseUntil(gate: ReturnType<typeof manualLatency>, promise: Promise<unknown>): Promise<void> {
    let done = false;
    void promise.then(() => (done = true));
    for (let i = 0; i < 10_000 && !done; i++) {
        gate.release();
        await new Promise<void>(resolve => setImmediate(resolve));
    }
    expect(done, 'settled').to.equal(true);
}
