/**
 * TRACEROUTE_APP: a reply carries the route to its sender (the node traced to) and, as far as it got, the way back;
 * it is kept on that node. Requests (still on their way, the route incomplete) change nothing.
 */
import type { DecodedPacket, TraceroutePayload } from '../../codec/types';
import type { ChangeSet } from '../change-set';
import type { NodeStore } from '../node-store';
import { MAX_ROUTE_HOPS } from '../packet-records';
import type { NodeRecord, RouteHop, TracerouteRecord } from '../types';
import { finite, isRealNodeNum, nodeIdOf } from '../util';

function hop(num: number, store: NodeStore, snr: number | undefined): RouteHop {
    const hop: RouteHop = { id: nodeIdOf(num) };
    const user = store.get(num)?.user;
    const name = user?.longName || user?.shortName;
    if (name) {
        hop.name = name;
    }
    const db = finite(snr);
    if (db !== undefined) {
        hop.snr = db;
    }
    return hop;
}

/**
 * `start`, the relays, then `end` when the packet got there. `snr[i]` is how relay i received it, `snr[relays.length]`
 * how `end` did; a list without that last entry means the packet is still on its way (`end` is left out).
 */
function leg(
    start: number,
    relays: readonly number[],
    snr: readonly (number | undefined)[],
    end: number,
    endReached: boolean,
    store: NodeStore,
): RouteHop[] {
    const hops = [hop(start, store, undefined)];
    const bounded = relays.slice(0, MAX_ROUTE_HOPS);
    bounded.forEach((num, i) => hops.push(hop(num >>> 0, store, snr[i])));
    if (endReached) {
        hops.push(hop(end, store, snr[relays.length]));
    }
    return hops;
}

export function applyTraceroute(
    node: NodeRecord,
    packet: DecodedPacket,
    route: TraceroutePayload,
    nowMs: number,
    changes: ChangeSet,
    store: NodeStore,
): void {
    const requester = packet.header.to >>> 0;
    if (packet.data.requestId === 0 || !isRealNodeNum(requester)) {
        return;
    }
    const relays = Array.isArray(route.route) ? route.route : [];
    const back = Array.isArray(route.routeBack) ? route.routeBack : [];
    const snrBack = Array.isArray(route.snrBack) ? route.snrBack : [];
    const record: TracerouteRecord = {
        time: nowMs,
        from: nodeIdOf(requester),
        // the reply exists, so the request reached this node
        towards: leg(requester, relays, Array.isArray(route.snrTowards) ? route.snrTowards : [], node.num, true, store),
        back: leg(node.num, back, snrBack, requester, snrBack.length > back.length, store),
    };
    node.traceroute = record;
    changes.mark(node, 'traceroute');
}
