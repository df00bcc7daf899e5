/**
 * How often the per-packet bookkeeping states of a node reach the DB (`radio.*`, `status.lastHeard`): the settings
 * "Radio states" and "Last heard granularity". Pure, time injected. It thins the node events the writer gets; the
 * mesh model, the admin tab and `getNode` keep the exact values. Presence and `online` are never delayed: a status
 * change that alters them passes at once (with the current lastHeard), and so does everything else a node sends.
 */
import type { MeshEvent, NodeRecord, NodeSection, Presence } from '../mesh/types';

export type RadioWrites = 'packet' | 'interval' | 'off';

export interface WriteCadence {
    /** `packet`: every change; `interval`: at most every `radioMs` per node; `off`: only with the node's first write. */
    radio: RadioWrites;
    radioMs: number;
    /** At most one `status.lastHeard` write per node in this time (0 = every packet). */
    lastHeardMs: number;
}

/** Everything written as it changes (the writer without this filter). */
export const EVERY_PACKET: WriteCadence = { radio: 'packet', radioMs: 0, lastHeardMs: 0 };

/** What was last let through for a node. */
interface Passed {
    radioAt: number;
    statusAt: number;
    presence: Presence;
}

export class CadenceFilter {
    /** Keyed by the live record: an evicted node's entry goes with it, a node heard again starts afresh. */
    private readonly passed = new WeakMap<Readonly<NodeRecord>, Passed>();
    private readonly inactive: boolean;
    /** Node events whose radio / status section was held back (for getStats and the bench). */
    heldRadio = 0;
    heldLastHeard = 0;

    constructor(
        private readonly cadence: WriteCadence,
        private readonly now: () => number,
    ) {
        this.inactive = cadence.radio === 'packet' && cadence.lastHeardMs <= 0;
    }

    /**
     * The events as the writer should see them: a node event without its `radio` section when that is not due, and
     * without `status` when only lastHeard changed and is not due. The events given are not changed (the tab feed
     * gets them too); a node event is kept even when nothing is left of it (an awaiting node is moved up by it).
     */
    filter(events: MeshEvent[]): MeshEvent[] {
        if (this.inactive) {
            return events;
        }
        let out: MeshEvent[] | undefined;
        for (let i = 0; i < events.length; i++) {
            const event = events[i];
            if (event.type !== 'node') {
                out?.push(event);
                continue;
            }
            const sections = this.sectionsOf(event.node, event.sections, event.isNew);
            if (sections !== event.sections && out === undefined) {
                out = events.slice(0, i);
            }
            out?.push(sections === event.sections ? event : { ...event, sections });
        }
        return out ?? events;
    }

    /** The sections to write (the same set when nothing is held back). */
    private sectionsOf(
        node: Readonly<NodeRecord>,
        sections: ReadonlySet<NodeSection>,
        isNew: boolean,
    ): ReadonlySet<NodeSection> {
        const now = this.now();
        const last = this.passed.get(node);
        if (last === undefined || isNew) {
            // the first event of a node (or after a restart): written whole, the intervals start here
            this.passed.set(node, { radioAt: now, statusAt: now, presence: node.presence });
            return isNew || this.cadence.radio !== 'off' ? sections : without(sections, 'radio', undefined);
        }
        let dropRadio = false;
        if (sections.has('radio')) {
            if (this.radioDue(last, now)) {
                last.radioAt = now;
            } else {
                dropRadio = true;
                this.heldRadio++;
            }
        }
        let dropStatus = false;
        if (sections.has('status')) {
            if (node.presence !== last.presence || now - last.statusAt >= this.cadence.lastHeardMs) {
                last.statusAt = now;
                last.presence = node.presence;
            } else {
                dropStatus = true;
                this.heldLastHeard++;
            }
        }
        if (!dropRadio && !dropStatus) {
            return sections;
        }
        return without(sections, dropRadio ? 'radio' : undefined, dropStatus ? 'status' : undefined);
    }

    private radioDue(last: Passed, now: number): boolean {
        switch (this.cadence.radio) {
            case 'packet':
                return true;
            case 'off':
                return false;
            default:
                return now - last.radioAt >= this.cadence.radioMs;
        }
    }
}

function without(
    sections: ReadonlySet<NodeSection>,
    a: NodeSection | undefined,
    b: NodeSection | undefined,
): ReadonlySet<NodeSection> {
    if ((a === undefined || !sections.has(a)) && (b === undefined || !sections.has(b))) {
        return sections;
    }
    const out = new Set<NodeSection>();
    for (const section of sections) {
        if (section !== a && section !== b) {
            out.add(section);
        }
    }
    return out;
}
