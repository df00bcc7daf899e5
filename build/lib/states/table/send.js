"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MESSAGE_LAST_SENT = exports.NODE_COMMAND_STATE_IDS = exports.NODE_SEND_STATES = exports.CHANNEL_SEND_STATES = exports.SEND_STATUS_STATE_ID = exports.SEND_STATE_ID = void 0;
const spec_1 = require("./spec");
const tree_1 = require("./tree");
const values_1 = require("./values");
/** Last id level of the writable send states (`channels.<name>.send`, `nodes.<hex>.send`). */
exports.SEND_STATE_ID = 'send';
/** Last id level of the send status states (`channels.<name>.sendStatus`, `nodes.<hex>.sendStatus`). */
exports.SEND_STATUS_STATE_ID = 'sendStatus';
/** `channels.<sanitised name>.send` / `.sendStatus`, created for every configured channel. */
exports.CHANNEL_SEND_STATES = {
    send: { id: exports.SEND_STATE_ID, common: (0, spec_1.command)('Send a text to this channel (write with ack=false)', 'text') },
    status: {
        id: exports.SEND_STATUS_STATE_ID,
        common: (0, spec_1.str)('Status of the last text sent to this channel (JSON)', 'json'),
        event: true,
        get: status => (0, values_1.json)(status),
    },
};
/** `nodes.<hex>.send` / `.sendStatus` (directly under the device, like `neighbors`), created for every node. */
exports.NODE_SEND_STATES = {
    send: { id: exports.SEND_STATE_ID, common: (0, spec_1.command)('Send a direct message to this node (write with ack=false)', 'text') },
    status: {
        id: exports.SEND_STATUS_STATE_ID,
        common: (0, spec_1.str)('Status of the last direct message sent to this node (JSON)', 'json'),
        event: true,
        get: status => (0, values_1.json)(status),
    },
};
/** Ids below `nodes.<hex>` that hold no node data (never restored into a NodeRecord). */
exports.NODE_COMMAND_STATE_IDS = new Set([
    exports.NODE_SEND_STATES.send.id,
    exports.NODE_SEND_STATES.status.id,
]);
/** `messages.lastSent`: the last SendStatus of any send (object from io-package instanceObjects; `io-package.test.ts` compares them). */
exports.MESSAGE_LAST_SENT = {
    id: `${tree_1.ROOT.messages}.lastSent`,
    common: (0, spec_1.str)('Last message sent by the adapter (JSON)', 'json'),
    event: true,
    get: status => (0, values_1.json)(status),
};
