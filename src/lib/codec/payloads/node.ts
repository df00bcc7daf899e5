/** What describes a node: NODEINFO_APP (`User`, decoded and encoded for our announcements) and MAP_REPORT_APP. */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { Config, Mesh, Mqtt } from '@meshtastic/protobufs';
import type { MapReportPayload, UserInfo } from '../types';
import { degrees, enumName, stripNul } from './fields';

export function decodeUser(bytes: Uint8Array): UserInfo {
    const u = fromBinary(Mesh.UserSchema, bytes);
    const user: UserInfo = {
        id: u.id,
        longName: stripNul(u.longName),
        shortName: stripNul(u.shortName),
        hwModel: enumName(Mesh.HardwareModel, u.hwModel),
        hwModelNumber: u.hwModel,
        role: enumName(Config.Config_DeviceConfig_Role, u.role),
        roleNumber: u.role,
        isLicensed: u.isLicensed,
        isUnmessagable: u.isUnmessagable ?? false,
    };
    // Copies: the parsed bytes are views into the whole MQTT message, and keys outlive it in the node store.
    if (u.publicKey.length > 0) {
        user.publicKey = Uint8Array.from(u.publicKey);
    }
    if (u.macaddr.length > 0) {
        user.macaddr = Uint8Array.from(u.macaddr);
    }
    return user;
}

export function decodeMapReport(bytes: Uint8Array): MapReportPayload {
    const m = fromBinary(Mqtt.MapReportSchema, bytes);
    const report: MapReportPayload = {
        longName: stripNul(m.longName),
        shortName: stripNul(m.shortName),
        role: enumName(Config.Config_DeviceConfig_Role, m.role),
        hwModel: enumName(Mesh.HardwareModel, m.hwModel),
        firmwareVersion: m.firmwareVersion,
        region: enumName(Config.Config_LoRaConfig_RegionCode, m.region),
        modemPreset: enumName(Config.Config_LoRaConfig_ModemPreset, m.modemPreset),
        hasDefaultChannel: m.hasDefaultChannel,
        positionPrecision: m.positionPrecision,
        numOnlineLocalNodes: m.numOnlineLocalNodes,
        hasOptedReportLocation: m.hasOptedReportLocation,
    };
    // 0/0 means the node reports no location; altitude is only meaningful with one.
    if (m.latitudeI !== 0 || m.longitudeI !== 0) {
        report.latitude = degrees(m.latitudeI);
        report.longitude = degrees(m.longitudeI);
        report.altitude = m.altitude;
    }
    return report;
}

/** What a NODEINFO announcement carries. */
export interface UserInput {
    id: string;
    longName: string;
    shortName: string;
    hwModel: number;
    role: number;
    publicKey?: Uint8Array;
    isLicensed?: boolean;
}

/** NODEINFO_APP payload (`User`). */
export function encodeUser(user: UserInput): Uint8Array {
    return toBinary(
        Mesh.UserSchema,
        create(Mesh.UserSchema, {
            id: user.id,
            longName: user.longName,
            shortName: user.shortName,
            hwModel: user.hwModel,
            role: user.role,
            isLicensed: user.isLicensed ?? false,
            publicKey: user.publicKey ?? new Uint8Array(0),
        }),
    );
}
