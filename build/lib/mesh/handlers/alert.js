"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.applyAlert = applyAlert;
const util_1 = require("../util");
const text_1 = require("./text");
function applyAlert(node, packet, text, entry, nowMs, changes, sinks) {
    node.alert = { text: (0, util_1.sanitizeText)(text), time: nowMs };
    changes.mark(node, 'alert');
    (0, text_1.applyText)(node, packet, text, entry, nowMs, changes, sinks, true);
}
