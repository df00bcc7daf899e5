/**
 * Port numbers (`Data.portnum`), defined once: the official `@meshtastic/protobufs` enum, and by name the ports the
 * adapter sends or reacts to, so no layer writes a port as a bare number.
 */
import { Portnums } from '@meshtastic/protobufs';

export const PortNum = Portnums.PortNum;
export type PortNum = Portnums.PortNum;

export const TEXT_MESSAGE_APP = PortNum.TEXT_MESSAGE_APP;
export const POSITION_APP = PortNum.POSITION_APP;
export const NODEINFO_APP = PortNum.NODEINFO_APP;
export const ROUTING_APP = PortNum.ROUTING_APP;
export const TELEMETRY_APP = PortNum.TELEMETRY_APP;
export const MAP_REPORT_APP = PortNum.MAP_REPORT_APP;
export const TRACEROUTE_APP = PortNum.TRACEROUTE_APP;
