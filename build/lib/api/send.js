"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SENDING_OFF = void 0;
exports.sendText = sendText;
/** `send`: a text to a channel or a node, answered once its final status is known. */
const context_1 = require("./context");
exports.SENDING_OFF = 'sending is off (see the log: the virtual node could not be set up)';
/** `{ text, channel?, to?, wantAck? }`; `wantAck` is on unless `false`. Validation is the messenger's. */
async function sendText(ctx, raw) {
    if (!ctx.messenger) {
        return { error: exports.SENDING_OFF };
    }
    const message = (0, context_1.messageObject)(raw);
    const result = await ctx.messenger.send({
        text: message.text,
        channel: message.channel,
        to: message.to,
        wantAck: message.wantAck !== false,
    });
    return { ...result };
}
