"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.writeInfoConnection = writeInfoConnection;
/** The instance's `info.*` states written outside the writer's queue (before it exists, after its last flush). */
const table_1 = require("./table");
/** Writes `info.connection` directly (awaited, no cache): at start before the writer exists, and at unload. */
async function writeInfoConnection(adapter, connected) {
    await adapter.setState(table_1.INFO_CONNECTION.id, table_1.INFO_CONNECTION.get(connected) ?? false, true);
}
