/** States of configured channels (`channels.<sanitised name>.*`) and the top-level `messages.*` texts. */
import type { TextMessage } from '../../mesh/types';
import type { ChannelStateSpec, FixedStateSpec } from './spec';
import { jsonEvent, str } from './spec';
import { ROOT } from './tree';
import { json, senderLabel } from './values';

export const CHANNEL_STATES: readonly ChannelStateSpec[] = [
    {
        id: 'lastMessage',
        common: str('Last text on this channel', 'text'),
        event: true,
        get: c => c.lastMessage?.text,
    },
    {
        id: 'lastSender',
        common: str('Sender of the last text', 'text'),
        event: true,
        get: c => (c.lastMessage ? senderLabel(c.lastMessage) : undefined),
    },
    {
        id: 'history',
        common: str('Recent texts on this channel (JSON, newest last)', 'json'),
        get: c => json(c.history),
    },
];

// ---- Messages (top level) ----------------------------------------------------------------------------------------

export const MESSAGE_LAST: FixedStateSpec<TextMessage> = jsonEvent(
    `${ROOT.messages}.last`,
    'Last text on any channel or direct message (JSON)',
);

export const MESSAGE_DIRECT: FixedStateSpec<TextMessage> = jsonEvent(
    `${ROOT.messages}.direct`,
    'Last direct message to the adapter (JSON)',
);
