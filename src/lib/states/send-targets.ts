/**
 * Send targets: which writable `send` state reaches which channel or node. `sendStateTarget` parses an id (pure);
 * `SendTargets` remembers the configured channel names, so that a write to `channels.<id>.send` reaches the channel
 * by its configured name (`Long_Fast` → `Long.Fast`; the first name wins when two sanitise alike).
 */
import { channelBaseId, isNodeHex, sanitizeIdPart } from './ids';
import { NODE_TRACEROUTE_REQUEST, ROOT, SEND_STATE_ID } from './table';

/**
 * The target of a writable `send` state: a configured channel (`name` = the configured name, `id` = the sanitised id
 * level below `channels.`, e.g. `Long_Fast`) or a node (`hex` = 8 lowercase hex digits).
 */
export type SendStateTarget = { kind: 'channel'; name: string; id: string } | { kind: 'node'; hex: string };

/**
 * Maps a state id relative to the namespace to the target of its writable `send` state: `channels.<id>.send` →
 * channel, `nodes.<hex>.send` → node; anything else (other states, `sendStatus`, extra levels, invalid hex, a channel
 * level that is not a sanitised id) → undefined. `channelNameForId` turns the id level back into the configured
 * channel name (undefined: not a configured channel → undefined); without it the name is the id level itself.
 */
export function sendStateTarget(
    relativeId: string,
    channelNameForId?: (idPart: string) => string | undefined,
): SendStateTarget | undefined {
    const levels = relativeId.split('.');
    if (levels.length !== 3 || levels[2] !== SEND_STATE_ID) {
        return undefined;
    }
    const [root, part] = levels;
    if (root === ROOT.nodes) {
        return isNodeHex(part) ? { kind: 'node', hex: part } : undefined;
    }
    if (root === ROOT.channels) {
        if (part === '' || sanitizeIdPart(part) !== part) {
            return undefined;
        }
        const name = channelNameForId ? channelNameForId(part) : part;
        return name === undefined ? undefined : { kind: 'channel', name, id: part };
    }
    return undefined;
}

/** The node hex of a `nodes.<hex>.traceroute.request` id (relative to the namespace); anything else → undefined. */
export function tracerouteRequestHex(relativeId: string): string | undefined {
    const prefix = `${ROOT.nodes}.`;
    const suffix = `.${NODE_TRACEROUTE_REQUEST.id}`;
    if (!relativeId.startsWith(prefix) || !relativeId.endsWith(suffix)) {
        return undefined;
    }
    const hex = relativeId.slice(prefix.length, relativeId.length - suffix.length);
    return isNodeHex(hex) ? hex : undefined;
}

/** The configured channel names by their id level, and the targets of `send` states resolved with them. */
export class SendTargets {
    private readonly nameById = new Map<string, string>();

    /** `namespace`: a full id `<namespace>.<relative id>` is accepted too. */
    constructor(private readonly namespace: string) {}

    /** Remembers a channel name (configured, or seen in a text or send status); the first of an id level wins. */
    rememberChannel(name: string): void {
        const part = channelBaseId(name).slice(ROOT.channels.length + 1);
        if (!this.nameById.has(part)) {
            this.nameById.set(part, name);
        }
    }

    /** The channel name of a sanitised channel id level, if remembered. */
    channelNameForId(idPart: string): string | undefined {
        return this.nameById.get(idPart);
    }

    /**
     * The target of a writable `send` state (relative id, or full with our namespace): `channels.<id>.send` of a
     * remembered channel (with its name) or `nodes.<hex>.send`; anything else gives undefined.
     */
    resolve(id: string): SendStateTarget | undefined {
        const prefix = `${this.namespace}.`;
        const relativeId = id.startsWith(prefix) ? id.slice(prefix.length) : id;
        return sendStateTarget(relativeId, part => this.channelNameForId(part));
    }
}
