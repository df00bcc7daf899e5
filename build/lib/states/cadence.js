"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CadenceFilter = exports.EVERY_PACKET = void 0;
/** Everything written as it changes (the writer without this filter). */
exports.EVERY_PACKET = { radio: 'packet', radioMs: 0, lastHeardMs: 0 };
class CadenceFilter {
    cadence;
    now;
    /** Keyed by the live record: an evicted node's entry goes with it, a node heard again starts afresh. */
    passed = new WeakMap();
    inactive;
    /** Node events whose radio / status section was held back (for getStats and the bench). */
    heldRadio = 0;
    heldLastHeard = 0;
    constructor(cadence, now) {
        this.cadence = cadence;
        this.now = now;
        this.inactive = cadence.radio === 'packet' && cadence.lastHeardMs <= 0;
    }
    /**
     * The events as the writer should see them: a node event without its `radio` section when that is not due, and
     * without `status` when only lastHeard changed and is not due. The events given are not changed (the tab feed
     * gets them too); a node event is kept even when nothing is left of it (an awaiting node is moved up by it).
     */
    filter(events) {
        if (this.inactive) {
            return events;
        }
        let out;
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
    sectionsOf(node, sections, isNew) {
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
            }
            else {
                dropRadio = true;
                this.heldRadio++;
            }
        }
        let dropStatus = false;
        if (sections.has('status')) {
            if (node.presence !== last.presence || now - last.statusAt >= this.cadence.lastHeardMs) {
                last.statusAt = now;
                last.presence = node.presence;
            }
            else {
                dropStatus = true;
                this.heldLastHeard++;
            }
        }
        if (!dropRadio && !dropStatus) {
            return sections;
        }
        return without(sections, dropRadio ? 'radio' : undefined, dropStatus ? 'status' : undefined);
    }
    radioDue(last, now) {
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
exports.CadenceFilter = CadenceFilter;
function without(sections, a, b) {
    if ((a === undefined || !sections.has(a)) && (b === undefined || !sections.has(b))) {
        return sections;
    }
    const out = new Set();
    for (const section of sections) {
        if (section !== a && section !== b) {
            out.add(section);
        }
    }
    return out;
}
