"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TRACEROUTE_APP = exports.MAP_REPORT_APP = exports.TELEMETRY_APP = exports.ROUTING_APP = exports.NODEINFO_APP = exports.POSITION_APP = exports.TEXT_MESSAGE_APP = exports.PortNum = void 0;
/**
 * Port numbers (`Data.portnum`), defined once: the official `@meshtastic/protobufs` enum, and by name the ports the
 * adapter sends or reacts to, so no layer writes a port as a bare number.
 */
const protobufs_1 = require("@meshtastic/protobufs");
exports.PortNum = protobufs_1.Portnums.PortNum;
exports.TEXT_MESSAGE_APP = exports.PortNum.TEXT_MESSAGE_APP;
exports.POSITION_APP = exports.PortNum.POSITION_APP;
exports.NODEINFO_APP = exports.PortNum.NODEINFO_APP;
exports.ROUTING_APP = exports.PortNum.ROUTING_APP;
exports.TELEMETRY_APP = exports.PortNum.TELEMETRY_APP;
exports.MAP_REPORT_APP = exports.PortNum.MAP_REPORT_APP;
exports.TRACEROUTE_APP = exports.PortNum.TRACEROUTE_APP;
