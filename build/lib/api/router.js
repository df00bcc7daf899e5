"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.NOT_RUNNING = void 0;
exports.answerCommand = answerCommand;
const nodes_1 = require("./nodes");
const send_1 = require("./send");
const stats_1 = require("./stats");
const tab_1 = require("./tab");
const traceroute_1 = require("./traceroute");
exports.NOT_RUNNING = 'the adapter is not running (check the configuration and the log)';
const COMMANDS = {
    findNodes: (ctx, message) => (0, nodes_1.findNodes)(ctx.mesh, message),
    getNode: (ctx, message) => (0, nodes_1.getNode)(ctx.mesh, message),
    send: send_1.sendText,
    traceroute: traceroute_1.traceroute,
    tabPoll: tab_1.tabPoll,
    tabNode: tab_1.tabNode,
    getStats: stats_1.getStats,
};
/** The answer to `command` with `message`; `ctx` is absent while the adapter is not running (bad configuration). */
async function answerCommand(ctx, command, message) {
    if (!ctx) {
        return { error: exports.NOT_RUNNING };
    }
    const handler = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
    return handler ? handler(ctx, message) : { error: `unknown command "${command}"` };
}
