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
exports.cleanFloat = exports.TELEMETRY_VARIANTS = void 0;
/**
 * THE declarative table of the adapter's public state tree: every id, role, unit and name lives here and nowhere
 * else, one file per section; `spec.ts` documents every field of a spec.
 */
var types_1 = require("../../codec/types");
Object.defineProperty(exports, "TELEMETRY_VARIANTS", { enumerable: true, get: function () { return types_1.TELEMETRY_VARIANTS; } });
__exportStar(require("./spec"), exports);
__exportStar(require("./tree"), exports);
__exportStar(require("./node"), exports);
__exportStar(require("./telemetry"), exports);
__exportStar(require("./packets"), exports);
__exportStar(require("./channel"), exports);
__exportStar(require("./send"), exports);
__exportStar(require("./stats-info"), exports);
var values_1 = require("./values");
Object.defineProperty(exports, "cleanFloat", { enumerable: true, get: function () { return values_1.cleanFloat; } });
