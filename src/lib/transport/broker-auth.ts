/**
 * CONNECT admission of the embedded broker: the configured credentials (compared in constant time) and the client
 * limit. A refusal is answered with the CONNACK return code MQTT 3.1.1 has for it (aedes does not speak MQTT 5).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthenticateError, Client as AedesClient } from 'aedes' with { 'resolution-mode': 'import' };
import { printable } from '../log-once';
import { type BrokerContext, warnLimited } from './broker-context';

/** CONNACK return codes (MQTT 3.1.1). */
const SERVER_UNAVAILABLE = 3;
const BAD_USERNAME_OR_PASSWORD = 4;

function connackError(message: string, returnCode: number): AuthenticateError {
    return Object.assign(new Error(message), { returnCode });
}

function sha256(value: string | Buffer | undefined): Buffer {
    return createHash('sha256')
        .update(value ?? '')
        .digest();
}

/** Configured credentials, kept as digests so the comparison is constant-time whatever the lengths. */
export class Credentials {
    private readonly user: Buffer;
    private readonly pass: Buffer;

    constructor(user: string, pass: string) {
        this.user = sha256(user);
        this.pass = sha256(pass);
    }

    matches(user: string | undefined, pass: Buffer | undefined): boolean {
        // Both comparisons always run: no early exit that tells which part was wrong.
        const userOk = timingSafeEqual(sha256(user), this.user);
        const passOk = timingSafeEqual(sha256(pass), this.pass);
        return userOk && passOk;
    }
}

export interface AdmissionOptions {
    /** When user or pass is set, clients must send both. */
    user?: string;
    pass?: string;
    maxClients: number;
}

/** aedes' `authenticate` hook. */
export class ConnectAdmission {
    private readonly credentials?: Credentials;
    /** Clients that passed authentication and still have an open connection (the maxClients count). */
    private readonly admitted = new Set<AedesClient>();
    private limitReported = false;

    constructor(
        private readonly options: AdmissionOptions,
        private readonly ctx: BrokerContext,
    ) {
        if (options.user || options.pass) {
            this.credentials = new Credentials(options.user ?? '', options.pass ?? '');
        }
    }

    authenticate(
        client: AedesClient,
        username: string | undefined,
        password: Buffer | undefined,
        done: (error: AuthenticateError | null, success: boolean | null) => void,
    ): void {
        const { log, counters } = this.ctx;
        const address = this.ctx.addressOf(client);
        const id = printable(client.id ?? '', 64);
        if (this.credentials && !this.credentials.matches(username, password)) {
            counters.refusedAuth++;
            // Never the password (nor the user name: people type passwords into it). One line per address and window.
            warnLimited(
                this.ctx,
                `auth:${address}`,
                `MQTT client "${id}" from ${address} refused: bad user name or password`,
                'more refusals from this address since the last report',
            );
            done(connackError('bad user name or password', BAD_USERNAME_OR_PASSWORD), false);
            return;
        }
        const max = this.options.maxClients;
        if (this.admitted.size >= max && ![...this.admitted].some(c => c.id === client.id)) {
            // A reconnect with a known id is let through: aedes replaces the old session, so the count stays.
            counters.refusedClients++;
            if (!this.limitReported) {
                this.limitReported = true;
                log.warn(
                    `MQTT client limit reached (${max} connected): refusing "${id}" from ${address} and further clients ` +
                        'until one disconnects. Raise the maximum number of clients if this is expected.',
                );
            } else {
                log.debug(`MQTT client "${id}" from ${address} refused: client limit (${max}) reached`);
            }
            done(connackError('server unavailable: client limit reached', SERVER_UNAVAILABLE), false);
            return;
        }
        this.admitted.add(client);
        client.conn.once('close', () => {
            this.admitted.delete(client);
            if (this.admitted.size < max) {
                this.limitReported = false;
            }
        });
        done(null, true);
    }

    clear(): void {
        this.admitted.clear();
    }
}
