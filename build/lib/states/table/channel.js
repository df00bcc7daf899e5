"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MESSAGE_DIRECT = exports.MESSAGE_LAST = exports.CHANNEL_STATES = void 0;
const spec_1 = require("./spec");
const tree_1 = require("./tree");
const values_1 = require("./values");
exports.CHANNEL_STATES = [
    {
        id: 'lastMessage',
        common: (0, spec_1.str)('Last text on this channel', 'text'),
        event: true,
        get: c => c.lastMessage?.text,
    },
    {
        id: 'lastSender',
        common: (0, spec_1.str)('Sender of the last text', 'text'),
        event: true,
        get: c => (c.lastMessage ? (0, values_1.senderLabel)(c.lastMessage) : undefined),
    },
    {
        id: 'history',
        common: (0, spec_1.str)('Recent texts on this channel (JSON, newest last)', 'json'),
        get: c => (0, values_1.json)(c.history),
    },
];
// ---- Messages (top level) ----------------------------------------------------------------------------------------
exports.MESSAGE_LAST = (0, spec_1.jsonEvent)(`${tree_1.ROOT.messages}.last`, 'Last text on any channel or direct message (JSON)');
exports.MESSAGE_DIRECT = (0, spec_1.jsonEvent)(`${tree_1.ROOT.messages}.direct`, 'Last direct message to the adapter (JSON)');
