/** `getStats`: counters of the mesh and the state writer, and the process memory. */
import type { ApiContext, ApiResponse } from './context';

export interface MemoryFigures {
    rssMB: number;
    heapUsedMB: number;
    heapTotalMB: number;
    externalMB: number;
}

/** The process memory in MB: resident, V8 heap (used / reserved) and memory outside the heap (buffers). */
export function memoryFigures(usage: NodeJS.MemoryUsage = process.memoryUsage()): MemoryFigures {
    const mb = (bytes: number): number => Math.round(bytes / 1048576);
    return {
        rssMB: mb(usage.rss),
        heapUsedMB: mb(usage.heapUsed),
        heapTotalMB: mb(usage.heapTotal),
        externalMB: mb(usage.external),
    };
}

export function getStats(ctx: ApiContext): ApiResponse {
    return {
        ready: ctx.ready,
        stats: ctx.mesh.stats(),
        nodes: ctx.mesh.nodeCount(),
        unknownChannels: [...ctx.mesh.unknownChannels()],
        writer: ctx.writerCounters(),
        memory: memoryFigures(),
    };
}
