/** How far a packet travelled (`getHopsAway`), aware of brokers that rewrite hop_limit (public zero-hop policy). */
import type { PacketHeader } from '../codec/types';

const MAX_HOPS = 7;

export class HopCounter {
    private rewrite = false;

    /**
     * True once a gateway's own packet arrived with hop_limit 0 < hop_start: the broker rewrites hop_limit
     * (spec §7). From then on hops of packets with hop_limit 0 are unknown.
     */
    get hopLimitRewritten(): boolean {
        return this.rewrite;
    }

    /** Every packet, filtered or not: a gateway's own packet shows whether the broker rewrites hop_limit. */
    observe(h: PacketHeader, selfUplink: boolean): void {
        if (!this.rewrite && selfUplink && h.hopLimit === 0 && h.hopStart > 0 && h.hopStart <= MAX_HOPS) {
            this.rewrite = true;
        }
    }

    /** hop_start − hop_limit when valid: 0 for a gateway's own packet (`selfUplink`), undefined when unknowable. */
    hopsAway(h: PacketHeader, bitfield: number | undefined, selfUplink: boolean): number | undefined {
        if (selfUplink) {
            return 0;
        }
        const { hopStart, hopLimit } = h;
        if (!Number.isInteger(hopStart) || !Number.isInteger(hopLimit) || hopLimit < 0 || hopStart > MAX_HOPS) {
            return undefined;
        }
        if (hopStart < hopLimit || !(hopStart > 0 || bitfield !== undefined)) {
            return undefined;
        }
        if (this.rewrite && hopLimit === 0 && hopStart > 0) {
            return undefined;
        }
        return hopStart - hopLimit;
    }
}
