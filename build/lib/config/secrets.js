"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_SYSTEM_SECRET = void 0;
exports.tableCipher = tableCipher;
exports.readSecrets = readSecrets;
exports.loadSecrets = loadSecrets;
/**
 * The secrets of the instance's `native`, one table, and how each is stored at rest. Pure: the crypto is injected.
 *
 * - `pass`, `privateKey` (io-package `encryptedNative`): js-controller decrypts them for the adapter; admin and
 *   js-controller store them with `encrypt()` (aes-192-cbc with the system secret; older systems the XOR scheme).
 * - `channels[].psk`: a column of the channel table. Admin's form encrypts it itself (`encryptedAttributes`) with the
 *   XOR scheme and the system secret and shows it decrypted the same way; js-controller does not decrypt it. Any
 *   other form (plain, aes) is shown scrambled in the form, so the XOR scheme is the one to store.
 *
 * A config written without admin (CLI, script, backup restore) may hold any of them in plain text, and js-controller
 * then hands the adapter the plain text "decrypted", i.e. garbage. A stored value is read as plain text only when it
 * is a valid value itself and its decryption is not; every other value keeps the meaning js-controller gives it.
 */
const keys_1 = require("../codec/keys");
const identity_1 = require("../send/identity");
/** js-controller's and admin's secret when `system.config` has none. */
exports.DEFAULT_SYSTEM_SECRET = 'Zgfr56gFe87jJOM';
/** Prefix of js-controller's aes-192-cbc form. */
const AES_PREFIX = '$/aes-192-cbc:';
/** Admin's scheme for table columns (`encryptedAttributes`): XOR with the system secret; its own inverse. */
function tableCipher(secret, value) {
    let out = '';
    for (let i = 0; i < value.length; i++) {
        out += String.fromCharCode(secret.charCodeAt(i % secret.length) ^ value.charCodeAt(i));
    }
    return out;
}
/** True for text a person types as a password: no control characters. */
function isTypedText(text) {
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code < 0x20 || code === 0x7f) {
            return false;
        }
    }
    return text !== '';
}
/** True for canonical, padded base64 of a length a Meshtastic key can have. */
function looksLikeStoredKey(text) {
    const parsed = (0, keys_1.parsePsk)(text);
    if (!parsed.ok || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
        return false;
    }
    return [0, 1, 16, 32].includes(Buffer.from(text, 'base64').length);
}
/** A top-level `encryptedNative` field: canonical is js-controller's `encrypt()` (aes with a hex secret). */
function readNativeSecret(raw, valid, crypto) {
    if (typeof raw !== 'string' || raw === '') {
        return { form: 'empty' };
    }
    let decrypted;
    try {
        decrypted = crypto.decrypt(raw);
    }
    catch {
        return { form: 'unreadable' };
    }
    if (valid(raw) && !valid(decrypted)) {
        return { form: 'plain', value: raw };
    }
    // What encrypt() writes now: aes when the secret allows it, else the XOR scheme (then nothing to upgrade).
    const canonical = raw.startsWith(AES_PREFIX) || !crypto.encrypt('x').startsWith(AES_PREFIX);
    return { form: canonical ? 'canonical' : 'other', value: decrypted };
}
/** A channel key: canonical is admin's table scheme. Empty and one-byte keys (public shorthands) are no secret. */
function readChannelKey(raw, crypto) {
    if (typeof raw !== 'string' || raw === '') {
        return { form: 'empty' };
    }
    if (raw.startsWith(AES_PREFIX)) {
        try {
            return { form: 'other', value: crypto.decrypt(raw) };
        }
        catch {
            return { form: 'unreadable' };
        }
    }
    const decrypted = tableCipher(crypto.secret, raw);
    const rawOk = (0, keys_1.parsePsk)(raw).ok;
    const decryptedOk = (0, keys_1.parsePsk)(decrypted).ok;
    const plain = (rawOk && !decryptedOk) || (rawOk && decryptedOk && looksLikeStoredKey(raw) && !looksLikeStoredKey(decrypted));
    if (!plain) {
        return { form: 'canonical', value: decrypted };
    }
    return { form: Buffer.from(raw, 'base64').length <= 1 ? 'canonical' : 'plain', value: raw };
}
/** The `encryptedNative` secrets, with what a valid value looks like. */
const NATIVE_SECRETS = [
    { field: 'pass', valid: isTypedText },
    { field: 'privateKey', valid: text => (0, identity_1.parsePrivateKey)(text) !== undefined },
];
/**
 * Reads every secret of the stored `native` (the instance object's, not js-controller's decrypted copy). A field
 * stored in plain text or in an older form is re-encrypted in its canonical form, and only when that form reads
 * back as canonical with the same value: the next start finds nothing to fix and writes nothing (no restart loop).
 */
function readSecrets(stored, crypto) {
    const values = {};
    const reseal = {};
    const fixed = [];
    for (const { field, valid } of NATIVE_SECRETS) {
        const reading = readNativeSecret(stored[field], valid, crypto);
        if (reading.value === undefined) {
            continue;
        }
        values[field] = reading.value;
        if (reading.form === 'plain' || reading.form === 'other') {
            const sealed = crypto.encrypt(reading.value);
            const check = readNativeSecret(sealed, valid, crypto);
            if (check.form === 'canonical' && check.value === reading.value) {
                reseal[field] = sealed;
                fixed.push(`${field} (${reading.form === 'plain' ? 'plain text' : 'older encryption'})`);
            }
        }
    }
    if (Array.isArray(stored.channels)) {
        let changed = false;
        const usedRows = [];
        const storedRows = stored.channels.map((row, i) => {
            if (typeof row !== 'object' || row === null) {
                usedRows.push(row);
                return row;
            }
            const record = row;
            const reading = readChannelKey(record.psk, crypto);
            usedRows.push(reading.value === undefined ? record : { ...record, psk: reading.value });
            if ((reading.form !== 'plain' && reading.form !== 'other') || reading.value === undefined) {
                return row;
            }
            const sealed = tableCipher(crypto.secret, reading.value);
            const check = readChannelKey(sealed, crypto);
            if (check.form !== 'canonical' || check.value !== reading.value) {
                return row;
            }
            changed = true;
            fixed.push(`channels[${i + 1}].psk (${reading.form === 'plain' ? 'plain text' : "not in the form's scheme"})`);
            return { ...record, psk: sealed };
        });
        values.channels = usedRows;
        if (changed) {
            reseal.channels = storedRows;
        }
    }
    return { values, reseal: fixed.length > 0 ? reseal : undefined, fixed };
}
/** Reads the stored secrets and stores those found in plain text or an older form re-encrypted. */
async function loadSecrets(host) {
    const obj = await host.readInstanceObject();
    if (!obj?.native) {
        return { fixed: [] };
    }
    const secret = (await host.readSystemSecret()) || exports.DEFAULT_SYSTEM_SECRET;
    const result = readSecrets(obj.native, { encrypt: host.encrypt, decrypt: host.decrypt, secret });
    if (!result.reseal) {
        return { values: result.values, fixed: [] };
    }
    try {
        await host.writeInstanceNative(result.reseal);
        return { values: result.values, fixed: result.fixed };
    }
    catch (e) {
        return { values: result.values, fixed: [], writeError: String(e) };
    }
}
