/** The command states (`send`) and send status states of channels and nodes, and `messages.lastSent`. */
import type { SendStatus } from '../../send/types';
import { button, command, type FixedStateSpec, jsonEvent, type StateCommonSpec } from './spec';
import { ROOT } from './tree';

/** The writable `send` state and the read-only `sendStatus` state of one send target, ids relative to its base. */
export interface SendStateSpecs {
    /** `send`: the user writes a text here with ack=false; the adapter never writes a value into it by itself. */
    send: { id: string; common: StateCommonSpec };
    /** `sendStatus`: JSON of the last SendStatus for this target (event-like: written on every status change). */
    status: FixedStateSpec<SendStatus>;
}

/** Last id level of the writable send states (`channels.<name>.send`, `nodes.<hex>.send`). */
export const SEND_STATE_ID = 'send';
/** Last id level of the send status states (`channels.<name>.sendStatus`, `nodes.<hex>.sendStatus`). */
export const SEND_STATUS_STATE_ID = 'sendStatus';

/** The `send` command state and the `sendStatus` JSON event state of one kind of target, by their names. */
function sendStates(sendName: string, statusName: string): SendStateSpecs {
    return {
        send: { id: SEND_STATE_ID, common: command(sendName, 'text') },
        status: jsonEvent(SEND_STATUS_STATE_ID, statusName),
    };
}

/** `channels.<sanitised name>.send` / `.sendStatus`, created for every configured channel. */
export const CHANNEL_SEND_STATES: SendStateSpecs = sendStates(
    'Send a text to this channel (write with ack=false)',
    'Status of the last text sent to this channel (JSON)',
);

/** `nodes.<hex>.send` / `.sendStatus` (directly under the device, like `neighbors`), created for every node. */
export const NODE_SEND_STATES: SendStateSpecs = sendStates(
    'Send a direct message to this node (write with ack=false)',
    'Status of the last direct message sent to this node (JSON)',
);

/** `nodes.<hex>.traceroute.request`: a button that sends a traceroute to the node (the route lands in `.route`). */
export const NODE_TRACEROUTE_REQUEST = {
    /** Relative to the node's device; the container is the node's `traceroute` channel. */
    id: 'traceroute.request',
    container: 'traceroute',
    common: button('Send a traceroute to this node (write true with ack=false)'),
} as const;

/** Ids below `nodes.<hex>` that hold no node data (never restored into a NodeRecord). */
export const NODE_COMMAND_STATE_IDS: ReadonlySet<string> = new Set([
    NODE_SEND_STATES.send.id,
    NODE_SEND_STATES.status.id,
    NODE_TRACEROUTE_REQUEST.id,
]);

/** `messages.lastSent`: the last SendStatus of any send (object from io-package instanceObjects; `io-package.test.ts` compares them). */
export const MESSAGE_LAST_SENT: FixedStateSpec<SendStatus> = jsonEvent(
    `${ROOT.messages}.lastSent`,
    'Last message sent by the adapter (JSON)',
);
