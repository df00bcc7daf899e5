"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MESSAGE_LAST_SENT = exports.NODE_COMMAND_STATE_IDS = exports.NODE_TRACEROUTE_REQUEST = exports.NODE_SEND_STATES = exports.CHANNEL_SEND_STATES = exports.SEND_STATUS_STATE_ID = exports.SEND_STATE_ID = void 0;
const spec_1 = require("./spec");
const tree_1 = require("./tree");
/** Last id level of the writable send states (`channels.<name>.send`, `nodes.<hex>.send`). */
exports.SEND_STATE_ID = 'send';
/** Last id level of the send status states (`channels.<name>.sendStatus`, `nodes.<hex>.sendStatus`). */
exports.SEND_STATUS_STATE_ID = 'sendStatus';
/** The `send` command state and the `sendStatus` JSON event state of one kind of target, by their names. */
function sendStates(sendName, statusName) {
    return {
        send: { id: exports.SEND_STATE_ID, common: (0, spec_1.command)(sendName, 'text') },
        status: (0, spec_1.jsonEvent)(exports.SEND_STATUS_STATE_ID, statusName),
    };
}
/** `channels.<sanitised name>.send` / `.sendStatus`, created for every configured channel. */
exports.CHANNEL_SEND_STATES = sendStates('Send a text to this channel (write with ack=false)', 'Status of the last text sent to this channel (JSON)');
/** `nodes.<hex>.send` / `.sendStatus` (directly under the device, like `neighbors`), created for every node. */
exports.NODE_SEND_STATES = sendStates('Send a direct message to this node (write with ack=false)', 'Status of the last direct message sent to this node (JSON)');
/** `nodes.<hex>.traceroute.request`: a button that sends a traceroute to the node (the route lands in `.route`). */
exports.NODE_TRACEROUTE_REQUEST = {
    /** Relative to the node's device; the container is the node's `traceroute` channel. */
    id: 'traceroute.request',
    container: 'traceroute',
    common: (0, spec_1.button)('Send a traceroute to this node (write true with ack=false)'),
};
/** Ids below `nodes.<hex>` that hold no node data (never restored into a NodeRecord). */
exports.NODE_COMMAND_STATE_IDS = new Set([
    exports.NODE_SEND_STATES.send.id,
    exports.NODE_SEND_STATES.status.id,
    exports.NODE_TRACEROUTE_REQUEST.id,
]);
/** `messages.lastSent`: the last SendStatus of any send (object from io-package instanceObjects; `io-package.test.ts` compares them). */
exports.MESSAGE_LAST_SENT = (0, spec_1.jsonEvent)(`${tree_1.ROOT.messages}.lastSent`, 'Last message sent by the adapter (JSON)');
