"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.normaliseConfig = normaliseConfig;
exports.clientSubscriptions = clientSubscriptions;
/**
 * Validates and normalises the adapter's `native` settings once at start. Pure: no adapter, no I/O.
 * A broken setting is reported with the field it concerns; the adapter then refuses to start half-configured.
 */
const connection_1 = require("./connection");
const field_reader_1 = require("./field-reader");
const mesh_settings_1 = require("./mesh-settings");
/** Validates every field; returns all problems at once, or the typed configuration. */
function normaliseConfig(native) {
    const reader = new field_reader_1.FieldReader(native);
    const mode = reader.oneOf('mode', ['broker', 'client'], 'broker');
    const broker = (0, connection_1.readBroker)(reader, mode);
    const client = (0, connection_1.readClient)(reader, mode);
    const config = {
        mode,
        broker,
        client,
        rootTopic: (0, connection_1.readRootTopic)(reader),
        channels: (0, mesh_settings_1.readChannels)(reader),
        legacyJson: reader.bool('legacyJson', false),
        maxNodes: reader.integer('maxNodes', 500, 1, 100000),
        purgeDays: reader.integer('purgeDays', 7, 0, 3650),
        offlineMinutes: reader.integer('offlineMinutes', 120, 1, 100000),
        allowList: (0, field_reader_1.readNodeList)(reader, 'allowList'),
        maxHops: reader.integer('maxHops', 0, 0, 7),
        historySize: reader.integer('historySize', 20, 1, 500),
        detectionAlarmSeconds: reader.integer('detectionAlarmSeconds', 60, 5, 86400),
        radioWrites: reader.oneOf('radioWrites', ['packet', 'interval', 'off'], 'interval'),
        radioMinutes: reader.integer('radioMinutes', 60, 1, 1440),
        lastHeardMinutes: reader.integer('lastHeardMinutes', 30, 0, 1440),
        virtualNode: (0, mesh_settings_1.readVirtualNode)(reader),
        tileUrl: (0, mesh_settings_1.readTileUrl)(reader),
    };
    if (reader.errors.length) {
        return { ok: false, errors: reader.errors };
    }
    return { ok: true, config, warnings: reader.warnings };
}
/** MQTT subscriptions the client mode needs (the broker mode sees everything published to it). */
function clientSubscriptions(config) {
    const root = config.rootTopic;
    const topics = config.channels.map(c => `${root}/2/e/${c.name}/#`);
    topics.push(`${root}/2/e/PKI/#`, `${root}/2/map/#`);
    if (config.legacyJson) {
        topics.push(`${root}/2/json/#`);
    }
    return topics;
}
