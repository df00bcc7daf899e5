"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_MAX_TOPIC_LENGTH = exports.PKI_CHANNEL_ID = void 0;
exports.parseTopic = parseTopic;
exports.buildTopic = buildTopic;
exports.buildMapTopic = buildMapTopic;
/** Channel id (topic level and envelope `channel_id`) of PKI direct messages. */
exports.PKI_CHANNEL_ID = 'PKI';
/** Map reports: `<root>/2/map`, optionally followed by `/` and one level. */
const MAP_SUFFIX = '/2/map';
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
 * user can act on; nothing throws. Works with index arithmetic instead of `split`: it runs for every message.
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
    const last = topic.lastIndexOf('/');
    const beforeChannel = last > 0 ? topic.lastIndexOf('/', last - 1) : -1;
    const beforeKind = beforeChannel > 0 ? topic.lastIndexOf('/', beforeChannel - 1) : -1;
    const beforeVersion = beforeKind > 0 ? topic.lastIndexOf('/', beforeKind - 1) : -1;
    // `<root>/2/<e|c|json>/<channel>/<gateway>`
    if (beforeVersion >= 0 && beforeKind === beforeVersion + 2 && topic.charCodeAt(beforeKind - 1) === 0x32) {
        const kind = topic.slice(beforeKind + 1, beforeChannel);
        if (isProtobufKind(kind)) {
            if (beforeChannel + 1 === last) {
                return topicError(`topic has an empty channel level (expected <root>/2/${kind}/<channel>/<gateway>)`);
            }
            if (last === topic.length - 1) {
                return topicError(`topic has an empty gateway level (expected <root>/2/${kind}/<channel>/<gateway>)`);
            }
            const root = rootOf(topic, beforeVersion);
            if (!root.ok) {
                return root;
            }
            return {
                ok: true,
                value: {
                    root: root.value,
                    kind,
                    channelId: topic.slice(beforeChannel + 1, last),
                    gatewayId: topic.slice(last + 1),
                },
            };
        }
    }
    // `<root>/2/map` or, as firmware publishes it, `<root>/2/map/`, or `<root>/2/map/<gateway>`
    if (topic.endsWith(MAP_SUFFIX)) {
        const root = rootOf(topic, topic.length - MAP_SUFFIX.length);
        return root.ok ? { ok: true, value: { root: root.value, kind: 'map' } } : root;
    }
    if (last >= MAP_SUFFIX.length && topic.startsWith(MAP_SUFFIX, last - MAP_SUFFIX.length)) {
        const root = rootOf(topic, last - MAP_SUFFIX.length);
        if (!root.ok) {
            return root;
        }
        const gatewayId = topic.slice(last + 1);
        return {
            ok: true,
            value: gatewayId === '' ? { root: root.value, kind: 'map' } : { root: root.value, kind: 'map', gatewayId },
        };
    }
    return topicError(describeMismatch(topic.split('/')));
}
/** The root is everything before `/2/`: at least one level, none of them empty. */
function rootOf(topic, end) {
    if (end <= 0) {
        return topicError('topic has no root before /2/ (expected e.g. msh/EU_868/2/e/LongFast/!a1b2c3d4)');
    }
    const root = topic.slice(0, end);
    if (root.charCodeAt(0) === 0x2f || root.charCodeAt(end - 1) === 0x2f || root.includes('//')) {
        return topicError('topic root has an empty level');
    }
    return { ok: true, value: root };
}
/** A precise reason for topics that are not Meshtastic 2.x packet topics. */
function describeMismatch(levels) {
    if (levels[0] === '2') {
        return 'topic has no root before /2/ (expected e.g. msh/EU_868/2/e/LongFast/!a1b2c3d4)';
    }
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
