"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.applyTraceroute = applyTraceroute;
const packet_records_1 = require("../packet-records");
const util_1 = require("../util");
function hop(num, store, snr) {
    const hop = { id: (0, util_1.nodeIdOf)(num) };
    const user = store.get(num)?.user;
    const name = user?.longName || user?.shortName;
    if (name) {
        hop.name = name;
    }
    const db = (0, util_1.finite)(snr);
    if (db !== undefined) {
        hop.snr = db;
    }
    return hop;
}
/**
 * `start`, the relays, then `end` when the packet got there. `snr[i]` is how relay i received it, `snr[relays.length]`
 * how `end` did; a list without that last entry means the packet is still on its way (`end` is left out).
 */
function leg(start, relays, snr, end, endReached, store) {
    const hops = [hop(start, store, undefined)];
    const bounded = relays.slice(0, packet_records_1.MAX_ROUTE_HOPS);
    bounded.forEach((num, i) => hops.push(hop(num >>> 0, store, snr[i])));
    if (endReached) {
        hops.push(hop(end, store, snr[relays.length]));
    }
    return hops;
}
function applyTraceroute(node, packet, route, nowMs, changes, store) {
    const requester = packet.header.to >>> 0;
    if (packet.data.requestId === 0 || !(0, util_1.isRealNodeNum)(requester)) {
        return;
    }
    const relays = Array.isArray(route.route) ? route.route : [];
    const back = Array.isArray(route.routeBack) ? route.routeBack : [];
    const snrBack = Array.isArray(route.snrBack) ? route.snrBack : [];
    const record = {
        time: nowMs,
        from: (0, util_1.nodeIdOf)(requester),
        // the reply exists, so the request reached this node
        towards: leg(requester, relays, Array.isArray(route.snrTowards) ? route.snrTowards : [], node.num, true, store),
        back: leg(node.num, back, snrBack, requester, snrBack.length > back.length, store),
    };
    node.traceroute = record;
    changes.mark(node, 'traceroute');
}
