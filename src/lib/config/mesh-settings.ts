/** The mesh side of the settings: channels and their keys, the virtual node, the admin tab's map tiles (pure). */
import { parsePsk } from '../codec/keys';
import { parseNodeNum, readNodeList, type FieldReader } from './field-reader';
import type { ChannelConfig, VirtualNodeSettings } from './types';

const MAX_CHANNEL_NAME_BYTES = 11;

export const DEFAULT_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

/** The admin tab's map tiles. A broken template only costs the map background, so it is a warning, not an error. */
export function readTileUrl(reader: FieldReader): string {
    const url = reader.string('tileUrl', DEFAULT_TILE_URL);
    if (url === '') {
        return DEFAULT_TILE_URL;
    }
    if (!/^https?:\/\/[^\s"'<>]+$/i.test(url) || !['{z}', '{x}', '{y}'].every(part => url.includes(part))) {
        reader.warn(
            'tileUrl',
            `"${url.slice(0, 80)}" is not an http(s) tile URL with {z}, {x} and {y}: using OpenStreetMap`,
        );
        return DEFAULT_TILE_URL;
    }
    return url;
}

/** The channel table: names the firmware accepts, unique, each key valid; at least one channel. */
export function readChannels(reader: FieldReader): ChannelConfig[] {
    const raw = reader.raw('channels');
    const rows: unknown[] = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [];
    if (raw !== undefined && raw !== null && !Array.isArray(raw)) {
        reader.fail('channels', 'must be a table of channels');
    }
    const channels: ChannelConfig[] = [];
    const seen = new Set<string>();
    rows.forEach((row, index) => {
        const where = `channels[${index + 1}]`;
        if (typeof row !== 'object' || row === null) {
            reader.fail(where, 'is not a channel row');
            return;
        }
        const record = row as Record<string, unknown>;
        const name = typeof record.name === 'string' ? record.name.trim() : '';
        if (!name) {
            reader.fail(`${where}.name`, 'channel name is empty');
            return;
        }
        if (Buffer.byteLength(name, 'utf8') > MAX_CHANNEL_NAME_BYTES) {
            reader.fail(`${where}.name`, `"${name}" is longer than ${MAX_CHANNEL_NAME_BYTES} bytes (firmware limit)`);
            return;
        }
        if (name === 'PKI') {
            reader.fail(`${where}.name`, '"PKI" is reserved for direct messages');
            return;
        }
        if (seen.has(name)) {
            reader.fail(`${where}.name`, `duplicate channel name "${name}"`);
            return;
        }
        seen.add(name);
        const psk = typeof record.psk === 'string' ? record.psk : '';
        const key = parsePsk(psk);
        if (!key.ok) {
            // Never echo the key itself: it is a secret.
            reader.fail(`${where}.psk`, `key of channel "${name}" is invalid: ${key.message}`);
            return;
        }
        channels.push({ name, key: key.value, downlink: record.downlink === true || record.downlink === 'true' });
    });
    if (channels.length === 0 && reader.errors.length === 0) {
        reader.fail('channels', 'at least one channel is needed (default: LongFast with key AQ==)');
    }
    return channels;
}

/** The virtual node's settings (names within the firmware's limits, node id if set, send pacing). */
export function readVirtualNode(reader: FieldReader): VirtualNodeSettings {
    const nodeIdText = reader.string('nodeId', '');
    let nodeNum: number | undefined;
    if (nodeIdText) {
        nodeNum = parseNodeNum(nodeIdText);
        if (nodeNum === undefined || nodeNum <= 3 || nodeNum === 0xffffffff) {
            reader.fail('nodeId', `"${nodeIdText}" is not a usable node id (expected !a1b2c3d4)`);
            nodeNum = undefined;
        }
    }
    const longName = reader.string('longName', 'ioBroker') || 'ioBroker';
    if (Buffer.byteLength(longName, 'utf8') > 39) {
        reader.fail('longName', 'must be at most 39 bytes');
    }
    const shortName = reader.string('shortName', 'IOB') || 'IOB';
    if (Buffer.byteLength(shortName, 'utf8') > 4) {
        // Firmware's nanopb decode of a User with a longer short name fails: nobody would see our NodeInfo.
        reader.fail('shortName', `"${shortName}" is longer than 4 bytes (firmware rejects such node info)`);
    }
    return {
        nodeNum,
        longName,
        shortName,
        hwModel: reader.integer('hwModel', 255, 0, 255),
        role: reader.integer('nodeRole', 0, 0, 20),
        nodeInfoIntervalHours: reader.integer('nodeInfoIntervalHours', 3, 1, 168),
        hopLimit: reader.integer('hopLimit', 3, 0, 7),
        sendSpacingMs: reader.integer('sendSpacingMs', 2500, 0, 600000),
        ackTimeoutSeconds: reader.integer('ackTimeoutSeconds', 60, 5, 3600),
        privateKey: reader.string('privateKey', ''),
        allowChannelDm: readNodeList(reader, 'allowChannelDm'),
    };
}
