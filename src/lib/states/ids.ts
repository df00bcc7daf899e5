/**
 * The id scheme of the state tree, pure: ids relative to the namespace, made from node hexes and channel names, and
 * parsed back (send states: `send-targets.ts`). No I/O, no caches; `ids.test.ts` beside it.
 */
import { ROOT, SEND_STATE_ID, SEND_STATUS_STATE_ID } from './table';

/** js-controller's FORBIDDEN_CHARS (`adapter.FORBIDDEN_CHARS`). */
export const FORBIDDEN_CHARS = /[^._\-/ :!#$%&()+=@^{}|~\p{Ll}\p{Lu}\p{Nd}]+/gu;
/**
 * What an id level made from free text may keep: the letters and digits js-controller allows, `_` and `-`.
 * Everything else js-controller would still accept (`.` the level separator, `#`/`+`/`*` wildcards, `/`, blanks,
 * `:!$%&()=@^{}|~`) is replaced too, so ids stay usable in patterns, scripts and MQTT topics.
 */
const NOT_ID_SAFE = /[^\p{Ll}\p{Lu}\p{Nd}_-]+/gu;
/** Keeps ids far below the 240-byte limit even for multi-byte input. */
const MAX_ID_PART = 48;

/**
 * Turns free text (a channel name, an unknown metric key) into one id level: FORBIDDEN_CHARS, `.` and the other
 * awkward characters become `_`; the result is never empty and at most 48 characters long.
 */
export function sanitizeIdPart(text: string): string {
    const cleaned = Array.from(text.replace(NOT_ID_SAFE, '_')).slice(0, MAX_ID_PART).join('');
    return cleaned === '' ? '_' : cleaned;
}

const HEX_RE = /^[0-9a-f]{8}$/;

/** True for a valid node object level (8 lowercase hex digits). */
export function isNodeHex(hex: string): boolean {
    return HEX_RE.test(hex);
}

/** `nodes.<hex>` */
export function nodeBaseId(hex: string): string {
    return `${ROOT.nodes}.${hex}`;
}

/** `channels.<sanitised name>` */
export function channelBaseId(name: string): string {
    return `${ROOT.channels}.${sanitizeIdPart(name)}`;
}

/** The node hex of a relative id under `nodes.`, or undefined. */
export function nodeHexOf(id: string): string | undefined {
    const prefix = `${ROOT.nodes}.`;
    if (!id.startsWith(prefix)) {
        return undefined;
    }
    const end = id.indexOf('.', prefix.length);
    const hex = end < 0 ? id.slice(prefix.length) : id.slice(prefix.length, end);
    return isNodeHex(hex) ? hex : undefined;
}

/** True for `channels.<id>.send(Status)` and `nodes.<hex>.send(Status)` (relative ids): command/status, no data. */
export function isSendStateId(id: string): boolean {
    const levels = id.split('.');
    return (
        levels.length === 3 &&
        (levels[0] === ROOT.channels || levels[0] === ROOT.nodes) &&
        (levels[2] === SEND_STATE_ID || levels[2] === SEND_STATUS_STATE_ID)
    );
}
