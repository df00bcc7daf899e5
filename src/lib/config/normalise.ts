/**
 * Validates and normalises the adapter's `native` settings once at start. Pure: no adapter, no I/O.
 * A broken setting is reported with the field it concerns; the adapter then refuses to start half-configured.
 */
import { readBroker, readClient, readRootTopic } from './connection';
import { FieldReader, readNodeList } from './field-reader';
import { readChannels, readTileUrl, readVirtualNode } from './mesh-settings';
import type { RadioWrites } from '../states/cadence';
import type { ConfigResult, MeshtasticConfig, Mode } from './types';

/** Validates every field; returns all problems at once, or the typed configuration. */
export function normaliseConfig(native: Record<string, unknown>): ConfigResult {
    const reader = new FieldReader(native);
    const mode = reader.oneOf<Mode>('mode', ['broker', 'client'], 'broker');
    const broker = readBroker(reader, mode);
    const client = readClient(reader, mode);
    const config: MeshtasticConfig = {
        mode,
        broker,
        client,
        rootTopic: readRootTopic(reader),
        channels: readChannels(reader),
        legacyJson: reader.bool('legacyJson', false),
        maxNodes: reader.integer('maxNodes', 500, 1, 100000),
        purgeDays: reader.integer('purgeDays', 7, 0, 3650),
        offlineMinutes: reader.integer('offlineMinutes', 120, 1, 100000),
        allowList: readNodeList(reader, 'allowList'),
        maxHops: reader.integer('maxHops', 0, 0, 7),
        historySize: reader.integer('historySize', 20, 1, 500),
        detectionAlarmSeconds: reader.integer('detectionAlarmSeconds', 60, 5, 86400),
        radioWrites: reader.oneOf<RadioWrites>('radioWrites', ['packet', 'interval', 'off'], 'interval'),
        radioMinutes: reader.integer('radioMinutes', 60, 1, 1440),
        lastHeardMinutes: reader.integer('lastHeardMinutes', 30, 0, 1440),
        virtualNode: readVirtualNode(reader),
        tileUrl: readTileUrl(reader),
    };
    if (reader.errors.length) {
        return { ok: false, errors: reader.errors };
    }
    return { ok: true, config, warnings: reader.warnings };
}

/** MQTT subscriptions the client mode needs (the broker mode sees everything published to it). */
export function clientSubscriptions(config: MeshtasticConfig): string[] {
    const root = config.rootTopic;
    const topics = config.channels.map(c => `${root}/2/e/${c.name}/#`);
    topics.push(`${root}/2/e/PKI/#`, `${root}/2/map/#`);
    if (config.legacyJson) {
        topics.push(`${root}/2/json/#`);
    }
    return topics;
}
