"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.memoryFigures = memoryFigures;
exports.getStats = getStats;
/** The process memory in MB: resident, V8 heap (used / reserved) and memory outside the heap (buffers). */
function memoryFigures(usage = process.memoryUsage()) {
    const mb = (bytes) => Math.round(bytes / 1048576);
    return {
        rssMB: mb(usage.rss),
        heapUsedMB: mb(usage.heapUsed),
        heapTotalMB: mb(usage.heapTotal),
        externalMB: mb(usage.external),
    };
}
function getStats(ctx) {
    return {
        ready: ctx.ready,
        stats: ctx.mesh.stats(),
        nodes: ctx.mesh.nodeCount(),
        unknownChannels: [...ctx.mesh.unknownChannels()],
        writer: ctx.writerCounters(),
        memory: memoryFigures(),
    };
}
