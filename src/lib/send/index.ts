/**
 * Send path of the virtual node ("talk to the mesh"): pure, no ioBroker, no I/O — time, timers and the transport
 * are injected. See `Messenger` for how the adapter wires it.
 */
export type * from './types';
export {
    BITFIELD_OK_TO_MQTT,
    BITFIELD_WANT_RESPONSE,
    createIdentity,
    generateNodeNum,
    isUsableNodeNum,
    nodeInfoData,
    parsePrivateKey,
} from './identity';
export type { IdentityResult, IdentitySettings, VirtualNodeIdentity } from './identity';
export { DEFAULT_MAX_PART_BYTES, DEFAULT_MAX_PARTS, MAX_PAYLOAD_BYTES, splitText, utf8Length } from './text-split';
export type { SplitOptions, SplitResult } from './text-split';
export { DeliveryTracker, DEFAULT_MAX_PENDING } from './delivery';
export type { DeliveryOutcome, DeliveryTrackerOptions } from './delivery';
export { DEFAULT_DISCONNECTED_WAIT_MS, DEFAULT_QUEUE_SIZE, SendQueue } from './queue';
export type { EnqueueResult, QueueItem, SendQueueOptions } from './queue';
export { MAX_TEXT_PART_BYTES, Messenger } from './messenger';
export type { MessengerOptions } from './messenger';
export { defaultChannel, parseDestination, planSend, resolveChannel } from './plan';
export type { Destination, PlanContext, PlanRejection, SendPlan, SendRequest } from './plan';
export { Announcer, MIN_ANNOUNCE_INTERVAL_MS, MIN_RECONNECT_ANNOUNCE_INTERVAL_MS } from './announcer';
export type { AnnounceResult } from './announcer';
export { ACK_REPEAT_WINDOW_MS, NODEINFO_REPLY_INTERVAL_MS, Replies } from './replies';
export { PacketFactory } from './packets';
export type { OutgoingPacket, Route, SendChannel } from './packets';
export { MAX_TRACEROUTES_PER_HOUR, TRACEROUTE_TIMEOUT_MS, Traceroutes } from './traceroute';
export type { TracerouteResult } from './traceroute';
