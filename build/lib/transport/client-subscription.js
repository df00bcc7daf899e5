"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.subscribeAll = subscribeAll;
function subscribeAll(client, topics, qos, ctx) {
    if (topics.length === 0) {
        return;
    }
    client.subscribe(topics, { qos }, (err, granted) => {
        if (err) {
            if (ctx.current()) {
                ctx.log.warn(`Subscribing at ${ctx.url} failed: ${err.message}`);
            }
            return;
        }
        for (const grant of granted ?? []) {
            if (grant.qos === 128 && ctx.limiter.allow(grant.topic) !== undefined) {
                ctx.log.warn(`The broker ${ctx.url} refused the subscription to "${grant.topic}" (not authorized?)`);
            }
        }
    });
}
