/** The instance's `info.*` states written outside the writer's queue (before it exists, after its last flush). */
import { INFO_CONNECTION } from './table';
import type { StatesAdapter } from './writing/adapter';

/** Writes `info.connection` directly (awaited, no cache): at start before the writer exists, and at unload. */
export async function writeInfoConnection(adapter: Pick<StatesAdapter, 'setState'>, connected: boolean): Promise<void> {
    await adapter.setState(INFO_CONNECTION.id, INFO_CONNECTION.get(connected) ?? false, true);
}
