"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.nodeHead = exports.metricCommon = void 0;
/** Pure mapping from mesh model records to object entries and state values (no I/O; specs from `../table`). */
__exportStar(require("./entries"), exports);
__exportStar(require("./node"), exports);
var node_ids_1 = require("./node-ids");
Object.defineProperty(exports, "metricCommon", { enumerable: true, get: function () { return node_ids_1.metricCommon; } });
Object.defineProperty(exports, "nodeHead", { enumerable: true, get: function () { return node_ids_1.nodeHead; } });
__exportStar(require("./messages"), exports);
__exportStar(require("./stats-info"), exports);
__exportStar(require("./waypoints"), exports);
