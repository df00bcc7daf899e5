"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ConnectAdmission = exports.Credentials = void 0;
/**
 * CONNECT admission of the embedded broker: the configured credentials (compared in constant time) and the client
 * limit. A refusal is answered with the CONNACK return code MQTT 3.1.1 has for it (aedes does not speak MQTT 5).
 */
const node_crypto_1 = require("node:crypto");
const log_once_1 = require("../log-once");
const broker_context_1 = require("./broker-context");
/** CONNACK return codes (MQTT 3.1.1). */
const SERVER_UNAVAILABLE = 3;
const BAD_USERNAME_OR_PASSWORD = 4;
function connackError(message, returnCode) {
    return Object.assign(new Error(message), { returnCode });
}
function sha256(value) {
    return (0, node_crypto_1.createHash)('sha256')
        .update(value ?? '')
        .digest();
}
/** Configured credentials, kept as digests so the comparison is constant-time whatever the lengths. */
class Credentials {
    user;
    pass;
    constructor(user, pass) {
        this.user = sha256(user);
        this.pass = sha256(pass);
    }
    matches(user, pass) {
        // Both comparisons always run: no early exit that tells which part was wrong.
        const userOk = (0, node_crypto_1.timingSafeEqual)(sha256(user), this.user);
        const passOk = (0, node_crypto_1.timingSafeEqual)(sha256(pass), this.pass);
        return userOk && passOk;
    }
}
exports.Credentials = Credentials;
/** aedes' `authenticate` hook. */
class ConnectAdmission {
    options;
    ctx;
    credentials;
    /** Clients that passed authentication and still have an open connection (the maxClients count). */
    admitted = new Set();
    limitReported = false;
    constructor(options, ctx) {
        this.options = options;
        this.ctx = ctx;
        if (options.user || options.pass) {
            this.credentials = new Credentials(options.user ?? '', options.pass ?? '');
        }
    }
    authenticate(client, username, password, done) {
        const { log, counters } = this.ctx;
        const address = this.ctx.addressOf(client);
        const id = (0, log_once_1.printable)(client.id ?? '', 64);
        if (this.credentials && !this.credentials.matches(username, password)) {
            counters.refusedAuth++;
            // Never the password (nor the user name: people type passwords into it). One line per address and window.
            (0, broker_context_1.warnLimited)(this.ctx, `auth:${address}`, `MQTT client "${id}" from ${address} refused: bad user name or password`, 'more refusals from this address since the last report');
            done(connackError('bad user name or password', BAD_USERNAME_OR_PASSWORD), false);
            return;
        }
        const max = this.options.maxClients;
        if (this.admitted.size >= max && ![...this.admitted].some(c => c.id === client.id)) {
            // A reconnect with a known id is let through: aedes replaces the old session, so the count stays.
            counters.refusedClients++;
            if (!this.limitReported) {
                this.limitReported = true;
                log.warn(`MQTT client limit reached (${max} connected): refusing "${id}" from ${address} and further clients ` +
                    'until one disconnects. Raise the maximum number of clients if this is expected.');
            }
            else {
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
    clear() {
        this.admitted.clear();
    }
}
exports.ConnectAdmission = ConnectAdmission;
