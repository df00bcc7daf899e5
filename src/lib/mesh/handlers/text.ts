/**
 * TEXT_MESSAGE_APP (and ALERT_APP, flagged): a message for the node's history and, for a broadcast, its channel's;
 * a DM is its own event.
 */
import type { DecodedPacket } from '../../codec/types';
import type { ChangeSet } from '../change-set';
import type { ChannelRegistry } from '../channels';
import type { DedupEntry } from '../dedup';
import type { NodeStore } from '../node-store';
import { pushBounded } from '../record';
import type { NodeRecord, TextMessage } from '../types';
import { isBroadcast, MAX_CHANNEL_NAME, sanitizeLabel, sanitizeText } from '../util';

/** Where a text goes besides the event list. */
export interface TextSinks {
    store: NodeStore;
    channels: ChannelRegistry;
    historySize: number;
}

function displayName(node: NodeRecord): string {
    return node.user?.longName || node.user?.shortName || node.id;
}

/** `PKI` for PKI DMs, else the channel name (or id) the packet came on. */
function channelOf(packet: DecodedPacket): string {
    if (packet.encryption === 'pki') {
        return 'PKI';
    }
    return (
        sanitizeLabel(packet.channelName, MAX_CHANNEL_NAME) ||
        sanitizeLabel(packet.channelId, MAX_CHANNEL_NAME) ||
        'unknown'
    );
}

function messageOf(
    node: NodeRecord,
    packet: DecodedPacket,
    text: string,
    entry: Readonly<DedupEntry>,
    nowMs: number,
): TextMessage {
    const to = packet.header.to >>> 0;
    const message: TextMessage = {
        id: packet.header.id >>> 0,
        from: node.num,
        fromId: node.id,
        fromName: displayName(node),
        to,
        channel: channelOf(packet),
        text: sanitizeText(text),
        time: nowMs,
        direct: !isBroadcast(to),
        gateway: entry.firstGateway,
        viaMqtt: entry.viaMqtt,
        encryption: packet.encryption,
    };
    if (entry.rxSnr !== undefined) {
        message.rxSnr = entry.rxSnr;
    }
    if (entry.rxRssi !== undefined) {
        message.rxRssi = entry.rxRssi;
    }
    if (entry.hopsAway !== undefined) {
        message.hopsAway = entry.hopsAway;
    }
    if (packet.data.replyId) {
        message.replyId = packet.data.replyId >>> 0;
    }
    if (packet.data.emoji) {
        message.emoji = packet.data.emoji >>> 0;
    }
    return message;
}

export function applyText(
    node: NodeRecord,
    packet: DecodedPacket,
    text: string,
    entry: Readonly<DedupEntry>,
    nowMs: number,
    changes: ChangeSet,
    sinks: TextSinks,
    alert = false,
): void {
    const message = messageOf(node, packet, text, entry, nowMs);
    if (alert) {
        message.alert = true;
    }
    sinks.store.pushText(node, message);
    changes.mark(node, 'messages');
    if (message.direct) {
        changes.push({ type: 'directMessage', message });
        return;
    }
    const record = sinks.channels.record(message.channel);
    record.lastMessage = message;
    pushBounded(record.history, message, sinks.historySize);
    changes.push({ type: 'channelMessage', channel: record, message });
}
