"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.putRadioNumber = exports.putPosition = exports.putNodeLabel = exports.putUserFlag = exports.putUser = exports.asBool = exports.asStr = exports.asNum = void 0;
exports.asJson = asJson;
exports.userOf = userOf;
exports.positionOf = positionOf;
exports.radioOf = radioOf;
exports.putOnlineLocalNodes = putOnlineLocalNodes;
exports.putFixTime = putFixTime;
exports.putViaMqtt = putViaMqtt;
exports.putGateway = putGateway;
exports.putGateways = putGateways;
exports.putLastHeard = putLastHeard;
exports.putNeighbors = putNeighbors;
exports.putHistory = putHistory;
const util_1 = require("../../mesh/util");
exports.asNum = util_1.finite;
const asStr = (v) => (typeof v === 'string' ? v : undefined);
exports.asStr = asStr;
const asBool = (v) => (typeof v === 'boolean' ? v : undefined);
exports.asBool = asBool;
function asJson(v) {
    if (typeof v !== 'string') {
        return undefined;
    }
    try {
        return JSON.parse(v);
    }
    catch {
        return undefined;
    }
}
function userOf(node) {
    node.user ??= { longName: '', shortName: '', hwModel: '', role: '', isLicensed: false, isUnmessagable: false };
    return node.user;
}
function positionOf(node) {
    node.position ??= { precisionBits: 32, accuracyMeters: 0 };
    return node.position;
}
function radioOf(node) {
    node.radio ??= { viaMqtt: false, gateway: '', gatewayCount: 0 };
    return node.radio;
}
/** Setter for a string field of the user record. */
const putUser = (key) => (node, v) => {
    const s = (0, exports.asStr)(v);
    if (s !== undefined) {
        userOf(node)[key] = s;
    }
};
exports.putUser = putUser;
const putUserFlag = (key) => (node, v) => {
    const b = (0, exports.asBool)(v);
    if (b !== undefined) {
        userOf(node)[key] = b;
    }
};
exports.putUserFlag = putUserFlag;
const putNodeLabel = (key) => (node, v) => {
    const s = (0, exports.asStr)(v);
    if (s !== undefined) {
        node[key] = s;
    }
};
exports.putNodeLabel = putNodeLabel;
const putPosition = (key) => (node, v) => {
    const n = (0, exports.asNum)(v);
    if (n !== undefined) {
        positionOf(node)[key] = n;
    }
};
exports.putPosition = putPosition;
const putRadioNumber = (key) => (node, v) => {
    const n = (0, exports.asNum)(v);
    if (n !== undefined) {
        radioOf(node)[key] = n;
    }
};
exports.putRadioNumber = putRadioNumber;
function putOnlineLocalNodes(node, v) {
    const x = (0, exports.asNum)(v);
    if (x !== undefined) {
        node.numOnlineLocalNodes = x;
    }
}
function putFixTime(node, v) {
    const ms = (0, exports.asNum)(v);
    if (ms !== undefined) {
        positionOf(node).time = Math.round(ms / 1000);
    }
}
function putViaMqtt(node, v) {
    const b = (0, exports.asBool)(v);
    if (b !== undefined) {
        radioOf(node).viaMqtt = b;
    }
}
function putGateway(node, v) {
    const s = (0, exports.asStr)(v);
    if (s !== undefined) {
        radioOf(node).gateway = s;
    }
}
function putGateways(node, v) {
    const list = asJson(v);
    if (Array.isArray(list)) {
        radioOf(node).gateways = list.filter((g) => typeof g === 'string');
    }
}
function putLastHeard(node, v) {
    const ms = (0, exports.asNum)(v);
    if (ms !== undefined) {
        node.lastHeard = ms;
    }
}
function putNeighbors(node, v) {
    const list = asJson(v);
    if (Array.isArray(list)) {
        node.neighbors = list; // re-validated by the mesh model's restore
    }
}
function putHistory(node, v) {
    const list = asJson(v);
    if (Array.isArray(list)) {
        node.history = list; // re-validated by the mesh model's restore
        node.lastText = node.history[node.history.length - 1];
    }
}
