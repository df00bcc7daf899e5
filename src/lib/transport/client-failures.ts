/**
 * Why a connection attempt of the MQTT client failed, as a kind, and the log line a user can act on for each.
 * Each kind is logged at warn/error once per outage (client.ts); config kinds (the user must change something) as
 * errors.
 */
import { printable } from '../log-once';
import { errorText } from './handlers';

export type FailureKind =
    | 'dns'
    | 'refused'
    | 'unreachable'
    | 'reset'
    | 'timeout'
    | 'tls'
    | 'credentials'
    | 'client-id'
    | 'unavailable'
    | 'connack'
    | 'closed'
    /** A session broke soon after CONNACK; the cause is not clear (yet). Logged at debug only. */
    | 'dropped'
    /** A session broke soon after CONNACK, and the broker did not accept TCP connections right after. */
    | 'went-away'
    /** Sessions broke soon after CONNACK several times in a row while the broker stayed reachable. */
    | 'taken-over'
    | 'other';

/** Kinds that need the user to change something: logged as errors. The others may heal by themselves. */
export const CONFIG_KINDS: ReadonlySet<FailureKind> = new Set<FailureKind>(['dns', 'tls', 'credentials', 'client-id']);

const TLS_CODE =
    /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|EPROTO$)/;

export function errorCode(err: unknown): string | number | undefined {
    const code = (err as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' || typeof code === 'number' ? code : undefined;
}

/** The kind of a failed attempt (no CONNACK 0), from the first error MQTT.js reported for it. */
export function classify(err: unknown): FailureKind {
    const code = errorCode(err);
    if (typeof code === 'number') {
        // CONNACK return codes (MQTT 3.1.1) and reason codes (MQTT 5).
        switch (code) {
            // One kind: Mosquitto answers a wrong password with 5 "not authorized" on MQTT 3.1.1, others with 4.
            case 4:
            case 0x86:
            case 5:
            case 0x87:
            case 0x8a: // banned
                return 'credentials';
            case 2:
            case 0x85:
                return 'client-id';
            case 3:
            case 0x88:
            case 0x89:
                return 'unavailable';
            default:
                return 'connack';
        }
    }
    if (typeof code === 'string') {
        if (['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME'].includes(code)) {
            return 'dns';
        }
        if (code === 'ECONNREFUSED') {
            return 'refused';
        }
        if (['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN'].includes(code)) {
            return 'unreachable';
        }
        if (code === 'ECONNRESET' || code === 'EPIPE') {
            return 'reset';
        }
        if (TLS_CODE.test(code)) {
            return 'tls';
        }
    }
    if (/connack timeout/i.test(errorText(err))) {
        return 'timeout';
    }
    return 'other';
}

export interface FailureContext {
    /** The broker URL as logged (password hidden). */
    url: string;
    clientId: string;
    connectTimeoutMs: number;
}

/** The log line for a failure. `lastedMs`: how long the session lasted (went-away, taken-over). */
export function describeFailure(ctx: FailureContext, kind: FailureKind, error: unknown, lastedMs = 0): string {
    const url = ctx.url;
    const code = errorCode(error);
    const detail = error === undefined ? '' : errorText(error);
    const retry = 'retrying with growing pauses';
    switch (kind) {
        case 'dns':
            return `Cannot resolve the broker's host name in ${url} (${code}): check the URL; ${retry}`;
        case 'refused':
            return `The broker ${url} refused the TCP connection (ECONNREFUSED): is it running and listening on that port? ${retry}`;
        case 'unreachable':
            return `The broker ${url} is unreachable (${code}); ${retry}`;
        case 'reset':
            return `The broker ${url} reset the connection (${code}); ${retry}`;
        case 'timeout':
            return `The broker ${url} did not accept the connection within ${ctx.connectTimeoutMs} ms; ${retry}`;
        case 'tls':
            return (
                `TLS connection to ${url} failed: ${detail}. For a broker with a self-signed or private certificate ` +
                `set its CA certificate, or turn certificate verification off; ${retry}`
            );
        case 'credentials': {
            const answer =
                code === 4 || code === 0x86
                    ? 'bad user name or password'
                    : detail.replace(/^Connection refused: /, '').toLowerCase();
            return `The broker ${url} refused the login: ${answer} (code ${code}); check user name and password; ${retry}`;
        }
        case 'client-id':
            return `The broker ${url} rejected the client id "${printable(ctx.clientId, 64)}" (code ${code}); set another client id; ${retry}`;
        case 'unavailable':
            return `The broker ${url} is unavailable or busy (code ${code}); ${retry}`;
        case 'connack':
            return `The broker ${url} refused the connection: ${detail}; ${retry}`;
        case 'closed':
            return `The broker ${url} closed the connection before accepting it; ${retry}`;
        case 'dropped':
            return `The connection to ${url} broke ${lastedMs} ms after it was made${detail ? ` (${detail})` : ''}; ${retry}`;
        case 'went-away':
            return (
                `The broker ${url} went away ${lastedMs} ms after the connection was made${detail ? ` (${detail})` : ''} ` +
                `(stopped or restarted?); reconnecting, ${retry}`
            );
        case 'taken-over':
            return (
                `The connection to ${url} broke ${lastedMs} ms after it was made, several times in a row, while the broker ` +
                `stayed reachable. Does another client use the same client id "${printable(ctx.clientId, 64)}"? ` +
                `Further drops are logged at debug level; ${retry}`
            );
        default:
            return `Cannot connect to ${url}: ${detail}; ${retry}`;
    }
}
