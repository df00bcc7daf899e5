"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.decodeUser = decodeUser;
exports.decodeMapReport = decodeMapReport;
exports.encodeUser = encodeUser;
/** What describes a node: NODEINFO_APP (`User`, decoded and encoded for our announcements) and MAP_REPORT_APP. */
const protobuf_1 = require("@bufbuild/protobuf");
const protobufs_1 = require("@meshtastic/protobufs");
const fields_1 = require("./fields");
function decodeUser(bytes) {
    const u = (0, protobuf_1.fromBinary)(protobufs_1.Mesh.UserSchema, bytes);
    const user = {
        id: u.id,
        longName: (0, fields_1.stripNul)(u.longName),
        shortName: (0, fields_1.stripNul)(u.shortName),
        hwModel: (0, fields_1.enumName)(protobufs_1.Mesh.HardwareModel, u.hwModel),
        hwModelNumber: u.hwModel,
        role: (0, fields_1.enumName)(protobufs_1.Config.Config_DeviceConfig_Role, u.role),
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
function decodeMapReport(bytes) {
    const m = (0, protobuf_1.fromBinary)(protobufs_1.Mqtt.MapReportSchema, bytes);
    const report = {
        longName: (0, fields_1.stripNul)(m.longName),
        shortName: (0, fields_1.stripNul)(m.shortName),
        role: (0, fields_1.enumName)(protobufs_1.Config.Config_DeviceConfig_Role, m.role),
        hwModel: (0, fields_1.enumName)(protobufs_1.Mesh.HardwareModel, m.hwModel),
        firmwareVersion: m.firmwareVersion,
        region: (0, fields_1.enumName)(protobufs_1.Config.Config_LoRaConfig_RegionCode, m.region),
        modemPreset: (0, fields_1.enumName)(protobufs_1.Config.Config_LoRaConfig_ModemPreset, m.modemPreset),
        hasDefaultChannel: m.hasDefaultChannel,
        positionPrecision: m.positionPrecision,
        numOnlineLocalNodes: m.numOnlineLocalNodes,
        hasOptedReportLocation: m.hasOptedReportLocation,
    };
    // 0/0 means the node reports no location; altitude is only meaningful with one.
    if (m.latitudeI !== 0 || m.longitudeI !== 0) {
        report.latitude = (0, fields_1.degrees)(m.latitudeI);
        report.longitude = (0, fields_1.degrees)(m.longitudeI);
        report.altitude = m.altitude;
    }
    return report;
}
/** NODEINFO_APP payload (`User`). */
function encodeUser(user) {
    return (0, protobuf_1.toBinary)(protobufs_1.Mesh.UserSchema, (0, protobuf_1.create)(protobufs_1.Mesh.UserSchema, {
        id: user.id,
        longName: user.longName,
        shortName: user.shortName,
        hwModel: user.hwModel,
        role: user.role,
        isLicensed: user.isLicensed ?? false,
        publicKey: user.publicKey ?? new Uint8Array(0),
    }));
}
