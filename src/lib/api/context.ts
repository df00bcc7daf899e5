/**
 * What the `sendTo` commands read: the running components, as the wiring offers them. No ioBroker here, so every
 * command is a pure function of this context and the message a script sent.
 */
import type { ChannelConfig, Mode } from '../config';
import type { MeshModel } from '../mesh';
import type { SendRequest, SendResult, TracerouteResult, VirtualNodeIdentity } from '../send';
import type { StateWriterStats } from '../states';
import type { TabFeed } from '../tab';

/** One answer to a `sendTo` command, as the script's callback receives it. */
export type ApiResponse = Record<string, unknown>;

/** The part of the messenger the commands use. */
export interface ApiSender {
    send(request: SendRequest): Promise<SendResult>;
    traceroute(to: unknown, onSent?: () => void): Promise<TracerouteResult>;
}

export interface ApiContext {
    readonly mesh: MeshModel;
    /** Absent until the stored nodes are restored. */
    readonly tabFeed?: TabFeed;
    /** Absent when the virtual node could not be set up (sending is off). */
    readonly messenger?: ApiSender;
    /** Stored nodes are restored and the transport is up. */
    readonly ready: boolean;
    readonly connected: boolean;
    readonly mode: Mode;
    readonly identity?: VirtualNodeIdentity;
    readonly channels: readonly ChannelConfig[];
    readonly tileUrl: string;
    writerCounters(): StateWriterStats | undefined;
}

/** The message of a command as an object (`{}` when a script sent a string or nothing). */
export function messageObject(raw: unknown): Record<string, unknown> {
    return (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
}
