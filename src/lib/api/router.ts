/** The `sendTo` commands: each one's answer, as the script's callback receives it. */
import type { ApiContext, ApiResponse } from './context';
import { findNodes, getNode } from './nodes';
import { sendText } from './send';
import { getStats } from './stats';
import { tabNode, tabPoll } from './tab';
import { traceroute } from './traceroute';

export const NOT_RUNNING = 'the adapter is not running (check the configuration and the log)';

type Command = (ctx: ApiContext, message: unknown) => ApiResponse | Promise<ApiResponse>;

const COMMANDS: Readonly<Record<string, Command>> = {
    findNodes: (ctx, message) => findNodes(ctx.mesh, message),
    getNode: (ctx, message) => getNode(ctx.mesh, message),
    send: sendText,
    traceroute,
    tabPoll,
    tabNode,
    getStats,
};

/** The answer to `command` with `message`; `ctx` is absent while the adapter is not running (bad configuration). */
export async function answerCommand(
    ctx: ApiContext | undefined,
    command: string,
    message: unknown,
): Promise<ApiResponse> {
    if (!ctx) {
        return { error: NOT_RUNNING };
    }
    const handler = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
    return handler ? handler(ctx, message) : { error: `unknown command "${command}"` };
}
