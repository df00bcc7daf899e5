/**
 * Turns what the virtual node sends (Data + route + destination) into MQTT messages, under the downlink rules of
 * spec §6: our node number as `from`, our id as gateway, `hop_limit == hop_start`, a fresh non-zero packet id.
 */
import { type ChannelKey, type DataInput, encodeChannelPacket, encodePkiPacket } from '../codec';
import type { VirtualNodeIdentity } from './identity';
import { remember } from './remember';

/** A configured channel as the send path sees it. */
export type SendChannel = ChannelKey & { readonly downlink: boolean };

/** How one packet is encrypted and addressed. */
export type Route = { kind: 'channel'; channel: SendChannel } | { kind: 'pki'; sharedKey: Uint8Array };

/** One encoded packet, ready for the queue. */
export interface OutgoingPacket {
    id: number;
    topic: string;
    payload: Uint8Array;
}

export interface PacketFactoryOptions {
    root: string;
    identity: VirtualNodeIdentity;
    /** 0..7; already clamped by the messenger. */
    hopLimit: number;
    randomId: () => number;
    /** Ids still awaiting an ACK must not be reused. */
    inFlight: (id: number) => boolean;
}

export class PacketFactory {
    private readonly recentIds = new Map<number, true>();

    constructor(private readonly options: PacketFactoryOptions) {}

    /** A random id that is not 0 and not used recently. Throws when 16 draws all collide (a broken random source). */
    nextId(): number {
        for (let attempt = 0; attempt < 16; attempt++) {
            const id = this.options.randomId() >>> 0;
            if (id !== 0 && !this.recentIds.has(id) && !this.options.inFlight(id)) {
                remember(this.recentIds, id, true);
                return id;
            }
        }
        throw new Error('no unused packet id');
    }

    /** Encodes `data` to `to` with a fresh id. Throws when the packet cannot be encoded. */
    build(route: Route, to: number, data: DataInput, wantAck: boolean): OutgoingPacket {
        const id = this.nextId();
        const { identity } = this.options;
        const common = {
            root: this.options.root,
            from: identity.nodeNum,
            to,
            id,
            data,
            hopLimit: this.options.hopLimit,
            wantAck,
        };
        const message =
            route.kind === 'pki'
                ? encodePkiPacket({ ...common, sharedKey: route.sharedKey })
                : encodeChannelPacket({ ...common, channel: route.channel, gatewayId: identity.id });
        return { id, topic: message.topic, payload: message.payload };
    }
}

export function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
