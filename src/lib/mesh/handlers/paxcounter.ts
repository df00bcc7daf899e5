/** PAXCOUNTER_APP: Wi-Fi and Bluetooth devices counted around the node, kept like a telemetry variant (`pax`). */
import type { PaxcounterPayload } from '../../codec/types';
import type { ChangeSet } from '../change-set';
import type { NodeRecord } from '../types';
import { applyTelemetry } from './telemetry';

export function applyPaxcounter(node: NodeRecord, pax: PaxcounterPayload, changes: ChangeSet): void {
    applyTelemetry(
        node,
        { variant: 'pax', time: 0, metrics: { wifi: pax.wifi, ble: pax.ble, uptime: pax.uptime } },
        changes,
    );
}
