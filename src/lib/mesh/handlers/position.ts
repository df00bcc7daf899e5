/** POSITION_APP: the last valid fix; reduced precision becomes an accuracy radius. */
import type { PositionInfo } from '../../codec/types';
import type { ChangeSet } from '../change-set';
import { addPositionExtras } from '../record';
import type { NodeRecord } from '../types';
import { finite, shallowEqual } from '../util';

/** Radius in metres of a reduced-precision position cell (0 at full precision); 2^(31−p) · 1e-7° · 111.32 km/°. */
export function precisionRadiusMeters(precisionBits: number): number {
    if (!(precisionBits > 0) || precisionBits >= 32) {
        return 0;
    }
    return Math.round(2 ** (31 - Math.floor(precisionBits)) * 1e-7 * 111_320);
}

/** A usable fix: both coordinates in range and not the 0/0 that firmware sends without one. */
export function validLatLon(latitude: number | undefined, longitude: number | undefined): boolean {
    return (
        latitude !== undefined &&
        longitude !== undefined &&
        Math.abs(latitude) <= 90 &&
        Math.abs(longitude) <= 180 &&
        !(latitude === 0 && longitude === 0)
    );
}

/** Stores `next` and marks the section when it differs from the known position. */
export function setPosition(node: NodeRecord, next: PositionInfo, changes: ChangeSet): void {
    if (!shallowEqual(node.position, next)) {
        node.position = next;
        changes.mark(node, 'position');
    }
}

export function applyPosition(node: NodeRecord, position: PositionInfo, changes: ChangeSet): void {
    const latitude = finite(position.latitude);
    const longitude = finite(position.longitude);
    if (!validLatLon(latitude, longitude)) {
        return; // no fix: keep the last known position
    }
    const precisionBits = finite(position.precisionBits) ?? 32;
    const next: PositionInfo = {
        latitude,
        longitude,
        precisionBits,
        accuracyMeters: finite(position.accuracyMeters) ?? precisionRadiusMeters(precisionBits),
    };
    addPositionExtras(next, position);
    setPosition(node, next, changes);
}
