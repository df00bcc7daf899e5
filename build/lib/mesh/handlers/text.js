"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.applyText = applyText;
const record_1 = require("../record");
const util_1 = require("../util");
function displayName(node) {
    return node.user?.longName || node.user?.shortName || node.id;
}
/** `PKI` for PKI DMs, else the channel name (or id) the packet came on. */
function channelOf(packet) {
    if (packet.encryption === 'pki') {
        return 'PKI';
    }
    return ((0, util_1.sanitizeLabel)(packet.channelName, util_1.MAX_CHANNEL_NAME) ||
        (0, util_1.sanitizeLabel)(packet.channelId, util_1.MAX_CHANNEL_NAME) ||
        'unknown');
}
function messageOf(node, packet, text, entry, nowMs) {
    const to = packet.header.to >>> 0;
    const message = {
        id: packet.header.id >>> 0,
        from: node.num,
        fromId: node.id,
        fromName: displayName(node),
        to,
        channel: channelOf(packet),
        text: (0, util_1.sanitizeText)(text),
        time: nowMs,
        direct: !(0, util_1.isBroadcast)(to),
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
function applyText(node, packet, text, entry, nowMs, changes, sinks, alert = false) {
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
    (0, record_1.pushBounded)(record.history, message, sinks.historySize);
    changes.push({ type: 'channelMessage', channel: record, message });
}
