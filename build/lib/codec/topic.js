"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_MAX_TOPIC_LENGTH = exports.PKI_CHANNEL_ID = void 0;
exports.parseTopic = parseTopic;
exports.buildTopic = buildTopic;
exports.buildMapTopic = buildMapTopic;
/** Channel id (topic level and envelope `channel_id`) of PKI direct messages. */
exports.PKI_CHANNEL_ID = 'PKI';
/** Default limit of a topic's length in characters; longer topics are refused before any parsing. */
exports.DEFAULT_MAX_TOPIC_LENGTH = 256;
function topicError(message) {
    return { ok: false, reason: 'topic', message };
}
function isProtobufKind(level) {
    return level === 'e' || level === 'c' || level === 'json';
}
/**
 * Splits a Meshtastic topic into root, kind, channel and gateway. Every failure is a `topic` error with a reason a
 * user can act on; nothing throws.
 */
function parseTopic(topic, maxLength = exports.DEFAULT_MAX_TOPIC_LENGTH) {
    if (typeof topic !== 'string') {
        return topicError('topic is not a string');
    }
    if (topic.length === 0) {
        return topicError('topic is empty');
    }
    if (topic.length > maxLength) {
        return topicError(`topic is longer than ${maxLength} characters`);
    }
    if (topic.includes('+') || topic.includes('#')) {
        return topicError('topic contains an MQTT wildcard (+ or #)');
    }
    const levels = topic.split('/');
    const n = levels.length;
    // `<root>/2/<e|c|json>/<channel>/<gateway>`
    if (n >= 5 && levels[n - 4] === '2' && isProtobufKind(levels[n - 3])) {
        const kind = levels[n - 3];
        const channelId = levels[n - 2];
        const gatewayId = levels[n - 1];
        if (channelId === '') {
            return topicError(`topic has an empty channel level (expected <root>/2/${kind}/<channel>/<gateway>)`);
        }
        if (gatewayId === '') {
            return topicError(`topic has an empty gateway level (expected <root>/2/${kind}/<channel>/<gateway>)`);
        }
        const root = rootOf(levels, n - 4);
        return root.ok ? { ok: true, value: { root: root.value, kind, channelId, gatewayId } } : root;
    }
    // `<root>/2/map/` (firmware publishes the trailing slash), `<root>/2/map` or `<root>/2/map/<gateway>`
    if (n >= 3 && levels[n - 1] === 'map' && levels[n - 2] === '2') {
        const root = rootOf(levels, n - 2);
        return root.ok ? { ok: true, value: { root: root.value, kind: 'map' } } : root;
    }
    if (n >= 4 && levels[n - 2] === 'map' && levels[n - 3] === '2') {
        const root = rootOf(levels, n - 3);
        if (!root.ok) {
            return root;
        }
        const gatewayId = levels[n - 1];
        return {
            ok: true,
            value: gatewayId === '' ? { root: root.value, kind: 'map' } : { root: root.value, kind: 'map', gatewayId },
        };
    }
    return topicError(describeMismatch(levels));
}
/** The root is everything before the `2` level: at least one level, none of them empty. */
function rootOf(levels, versionIndex) {
    if (versionIndex === 0) {
        return topicError('topic has no root before /2/ (expected e.g. msh/EU_868/2/e/LongFast/!a1b2c3d4)');
    }
    for (let i = 0; i < versionIndex; i++) {
        if (levels[i] === '') {
            return topicError('topic root has an empty level');
        }
    }
    return { ok: true, value: levels.slice(0, versionIndex).join('/') };
}
/** A precise reason for topics that are not Meshtastic 2.x packet topics. */
function describeMismatch(levels) {
    const versionAt = levels.lastIndexOf('2');
    if (versionAt >= 0 && versionAt + 1 < levels.length) {
        const kind = levels[versionAt + 1];
        if (kind === 'stat') {
            return 'status topic (/2/stat/, firmware ≤2.4.0) carries no packet';
        }
        if (isProtobufKind(kind)) {
            return `topic needs exactly <root>/2/${kind}/<channel>/<gateway>`;
        }
        if (kind === 'map') {
            return 'map topic needs <root>/2/map/ with at most one level after it';
        }
        return `unknown topic kind "${kind.slice(0, 16)}" after /2/ (expected e, c, json or map)`;
    }
    if (levels.includes('1')) {
        return 'firmware 1.x topic (/1/) is not supported';
    }
    return 'not a Meshtastic topic (expected <root>/2/e/<channel>/<gateway> or <root>/2/map/)';
}
/** `<root>/2/e/<channel>/<gateway>`: where an encrypted channel packet is published. */
function buildTopic(root, channelId, gatewayId) {
    return `${trimSlashes(root)}/2/e/${channelId}/${gatewayId}`;
}
/** `<root>/2/map/`: where map reports are published (with the firmware's trailing slash). */
function buildMapTopic(root) {
    return `${trimSlashes(root)}/2/map/`;
}
function trimSlashes(root) {
    let end = root.length;
    while (end > 0 && root.charCodeAt(end - 1) === 0x2f /* / */) {
        end--;
    }
    return root.slice(0, end);
}
