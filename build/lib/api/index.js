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
exports.sendStateRequest = exports.SendStateAcks = exports.nodeSummary = exports.NOT_RUNNING = exports.answerCommand = void 0;
__exportStar(require("./context"), exports);
var router_1 = require("./router");
Object.defineProperty(exports, "answerCommand", { enumerable: true, get: function () { return router_1.answerCommand; } });
Object.defineProperty(exports, "NOT_RUNNING", { enumerable: true, get: function () { return router_1.NOT_RUNNING; } });
var node_summary_1 = require("./node-summary");
Object.defineProperty(exports, "nodeSummary", { enumerable: true, get: function () { return node_summary_1.nodeSummary; } });
var send_states_1 = require("./send-states");
Object.defineProperty(exports, "SendStateAcks", { enumerable: true, get: function () { return send_states_1.SendStateAcks; } });
Object.defineProperty(exports, "sendStateRequest", { enumerable: true, get: function () { return send_states_1.sendStateRequest; } });
