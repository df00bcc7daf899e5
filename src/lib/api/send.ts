/** `send`: a text to a channel or a node, answered once its final status is known. */
import { messageObject, type ApiContext, type ApiResponse } from './context';

export const SENDING_OFF = 'sending is off (see the log: the virtual node could not be set up)';

/** `{ text, channel?, to?, wantAck? }`; `wantAck` is on unless `false`. Validation is the messenger's. */
export async function sendText(ctx: ApiContext, raw: unknown): Promise<ApiResponse> {
    if (!ctx.messenger) {
        return { error: SENDING_OFF };
    }
    const message = messageObject(raw);
    const result = await ctx.messenger.send({
        text: message.text,
        channel: message.channel,
        to: message.to,
        wantAck: message.wantAck !== false,
    });
    return { ...result };
}
