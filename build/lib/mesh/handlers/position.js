"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.precisionRadiusMeters = precisionRadiusMeters;
exports.validLatLon = validLatLon;
exports.setPosition = setPosition;
exports.applyPosition = applyPosition;
const record_1 = require("../record");
const util_1 = require("../util");
/** Radius in metres of a reduced-precision position cell (0 at full precision); 2^(31−p) · 1e-7° · 111.32 km/°. */
function precisionRadiusMeters(precisionBits) {
    if (!(precisionBits > 0) || precisionBits >= 32) {
        return 0;
    }
    return Math.round(2 ** (31 - Math.floor(precisionBits)) * 1e-7 * 111_320);
}
/** A usable fix: both coordinates in range and not the 0/0 that firmware sends without one. */
function validLatLon(latitude, longitude) {
    return (latitude !== undefined &&
        longitude !== undefined &&
        Math.abs(latitude) <= 90 &&
        Math.abs(longitude) <= 180 &&
        !(latitude === 0 && longitude === 0));
}
/** Stores `next` and marks the section when it differs from the known position. */
function setPosition(node, next, changes) {
    if (!(0, util_1.shallowEqual)(node.position, next)) {
        node.position = next;
        changes.mark(node, 'position');
    }
}
function applyPosition(node, position, changes) {
    const latitude = (0, util_1.finite)(position.latitude);
    const longitude = (0, util_1.finite)(position.longitude);
    if (!validLatLon(latitude, longitude)) {
        return; // no fix: keep the last known position
    }
    const precisionBits = (0, util_1.finite)(position.precisionBits) ?? 32;
    const next = {
        latitude,
        longitude,
        precisionBits,
        accuracyMeters: (0, util_1.finite)(position.accuracyMeters) ?? precisionRadiusMeters(precisionBits),
    };
    (0, record_1.addPositionExtras)(next, position);
    setPosition(node, next, changes);
}
