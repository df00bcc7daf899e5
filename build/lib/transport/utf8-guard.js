"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Utf8FieldScanner = void 0;
/**
 * MQTT 3.1.1 §1.5.3: a receiver MUST close the connection on a string that is not well-formed UTF-8 or contains
 * U+0000 (MQTT-1.5.3-1, -2). aedes' parser (mqtt-packet) decodes such bytes with replacement characters and goes on,
 * so this scanner checks the string fields on the raw bytes before the parser sees them: CONNECT (protocol name,
 * client id, will topic, user name), PUBLISH (topic), SUBSCRIBE and UNSUBSCRIBE (topic filters). Binary fields
 * (password, will message, payloads) are not strings and are skipped. Malformed packet structure is left to the
 * parser; only well-delimited strings are judged.
 */
const node_buffer_1 = require("node:buffer");
const mqtt_frames_1 = require("./mqtt-frames");
const CONNECT = 1;
const PUBLISH = 3;
const SUBSCRIBE = 8;
const UNSUBSCRIBE = 10;
function badString(bytes) {
    return bytes.includes(0) || !(0, node_buffer_1.isUtf8)(bytes);
}
/** Reads length-prefixed fields; `undefined` when the body ends early (the parser reports that, not we). */
class FieldReader {
    body;
    at = 0;
    constructor(body) {
        this.body = body;
    }
    bytes() {
        if (this.at + 2 > this.body.length) {
            return undefined;
        }
        const length = this.body.readUInt16BE(this.at);
        const start = this.at + 2;
        if (start + length > this.body.length) {
            return undefined;
        }
        this.at = start + length;
        return this.body.subarray(start, this.at);
    }
    skip(n) {
        this.at += n;
        return this.at <= this.body.length;
    }
    get done() {
        return this.at >= this.body.length;
    }
}
function checkConnect(body) {
    const r = new FieldReader(body);
    const protocol = r.bytes();
    if (protocol === undefined) {
        return undefined;
    }
    if (badString(protocol)) {
        return 'a protocol name';
    }
    const level = body[protocol.length + 2];
    const flags = body[protocol.length + 3];
    if (level !== 3 && level !== 4) {
        return undefined; // MQTT 5 (properties follow) or unknown: aedes refuses the version anyway
    }
    if (!r.skip(4)) {
        return undefined;
    }
    const fields = [['a client id', true]];
    if (flags & 0x04) {
        fields.push(['a will topic', true], ['a will message', false]);
    }
    if (flags & 0x80) {
        fields.push(['a user name', true]);
    }
    for (const [name, isString] of fields) {
        const value = r.bytes();
        if (value === undefined) {
            return undefined;
        }
        if (isString && badString(value)) {
            return name;
        }
    }
    return undefined;
}
function checkFilters(withOptionsByte) {
    return body => {
        const r = new FieldReader(body);
        if (!r.skip(2)) {
            return undefined; // packet id
        }
        while (!r.done) {
            const filter = r.bytes();
            if (filter === undefined) {
                return undefined;
            }
            if (badString(filter)) {
                return 'a topic filter';
            }
            if (withOptionsByte && !r.skip(1)) {
                return undefined;
            }
        }
        return undefined;
    };
}
const checkSubscribe = checkFilters(true);
const checkUnsubscribe = checkFilters(false);
const checkTopic = topic => (badString(topic) ? 'a topic' : undefined);
/** Checks the string fields of the packets named above on a stream cut anywhere (frames: mqtt-frames.ts). */
class Utf8FieldScanner {
    maxCollect;
    frames;
    /** The check for the bytes asked for; for PUBLISH the topic length comes first, then the topic. */
    check;
    problem;
    /** `maxCollect`: bytes of one body kept at most (the size guard closes larger packets before this runs). */
    constructor(maxCollect) {
        this.maxCollect = maxCollect;
        this.frames = new mqtt_frames_1.MqttFrameScanner({
            header: header => this.startBody(header),
            body: (bytes, header, offset) => this.judge(bytes, header, offset),
            malformed: () => undefined, // malformed length: the size guard closes the connection
        });
    }
    /** The kind of field that is not valid UTF-8 (e.g. "a topic"), or undefined while everything is fine. */
    feed(chunk) {
        if (this.problem === undefined) {
            this.frames.feed(chunk);
        }
        return this.problem;
    }
    startBody(header) {
        this.check = undefined;
        switch (header.type) {
            case PUBLISH:
                // First the topic length (2 bytes), then the topic itself (see judge).
                return 2;
            case CONNECT:
                return this.collectAll(header.bodyLength, checkConnect);
            case SUBSCRIBE:
                return this.collectAll(header.bodyLength, checkSubscribe);
            case UNSUBSCRIBE:
                return this.collectAll(header.bodyLength, checkUnsubscribe);
            default:
                return 0;
        }
    }
    collectAll(length, check) {
        if (length > this.maxCollect) {
            return 0;
        }
        this.check = check;
        return length;
    }
    judge(bytes, header, offset) {
        const check = this.check;
        if (check === undefined) {
            // PUBLISH: the topic length is known; collect the topic (or what the packet has of it).
            if (header.type !== PUBLISH || bytes.length !== 2) {
                return 0;
            }
            const topicLength = Math.min(bytes.readUInt16BE(0), header.bodyLength - offset - 2);
            if (topicLength > this.maxCollect) {
                return 0;
            }
            this.check = checkTopic;
            return topicLength;
        }
        this.check = undefined;
        this.problem = check(bytes);
        return this.problem === undefined ? 0 : false;
    }
}
exports.Utf8FieldScanner = Utf8FieldScanner;
