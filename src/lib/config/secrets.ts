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
import { parsePsk } from '../codec/keys';
import { parsePrivateKey } from '../send/identity';

/** js-controller's and admin's secret when `system.config` has none. */
export const DEFAULT_SYSTEM_SECRET = 'Zgfr56gFe87jJOM';

/** Prefix of js-controller's aes-192-cbc form. */
const AES_PREFIX = '$/aes-192-cbc:';

/** The adapter's crypto: js-controller's `encrypt`/`decrypt`, and the system secret for admin's table scheme. */
export interface SecretCrypto {
    encrypt(value: string): string;
    /** Decrypts either form; may throw (aes with another secret). */
    decrypt(value: string): string;
    /** The system secret (admin's table columns are XORed with it). */
    secret: string;
}

/** Admin's scheme for table columns (`encryptedAttributes`): XOR with the system secret; its own inverse. */
export function tableCipher(secret: string, value: string): string {
    let out = '';
    for (let i = 0; i < value.length; i++) {
        out += String.fromCharCode(secret.charCodeAt(i % secret.length) ^ value.charCodeAt(i));
    }
    return out;
}

/** True for text a person types as a password: no control characters. */
function isTypedText(text: string): boolean {
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code < 0x20 || code === 0x7f) {
            return false;
        }
    }
    return text !== '';
}

/** True for canonical, padded base64 of a length a Meshtastic key can have. */
function looksLikeStoredKey(text: string): boolean {
    const parsed = parsePsk(text);
    if (!parsed.ok || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
        return false;
    }
    return [0, 1, 16, 32].includes(Buffer.from(text, 'base64').length);
}

/** How a value is stored: `canonical` (as its writer stores it), another encrypted form, or plain text. */
export type StoredForm = 'empty' | 'canonical' | 'other' | 'plain' | 'unreadable';

interface Reading {
    form: StoredForm;
    /** The value in use (decrypted); undefined when unreadable or empty. */
    value?: string;
}

/** A top-level `encryptedNative` field: canonical is js-controller's `encrypt()` (aes with a hex secret). */
function readNativeSecret(raw: unknown, valid: (text: string) => boolean, crypto: SecretCrypto): Reading {
    if (typeof raw !== 'string' || raw === '') {
        return { form: 'empty' };
    }
    let decrypted: string;
    try {
        decrypted = crypto.decrypt(raw);
    } catch {
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
function readChannelKey(raw: unknown, crypto: SecretCrypto): Reading {
    if (typeof raw !== 'string' || raw === '') {
        return { form: 'empty' };
    }
    if (raw.startsWith(AES_PREFIX)) {
        try {
            return { form: 'other', value: crypto.decrypt(raw) };
        } catch {
            return { form: 'unreadable' };
        }
    }
    const decrypted = tableCipher(crypto.secret, raw);
    const rawOk = parsePsk(raw).ok;
    const decryptedOk = parsePsk(decrypted).ok;
    const plain =
        (rawOk && !decryptedOk) || (rawOk && decryptedOk && looksLikeStoredKey(raw) && !looksLikeStoredKey(decrypted));
    if (!plain) {
        return { form: 'canonical', value: decrypted };
    }
    return { form: Buffer.from(raw, 'base64').length <= 1 ? 'canonical' : 'plain', value: raw };
}

/** The `encryptedNative` secrets, with what a valid value looks like. */
const NATIVE_SECRETS: readonly { field: 'pass' | 'privateKey'; valid: (text: string) => boolean }[] = [
    { field: 'pass', valid: isTypedText },
    { field: 'privateKey', valid: text => parsePrivateKey(text) !== undefined },
];

export interface SecretsAtRest {
    /** The secrets in use (decrypted), to lay over the adapter's `native` before it is normalised. */
    values: Record<string, unknown>;
    /** Fields to store in the instance object, re-encrypted; undefined when every secret is stored as it should be. */
    reseal?: Record<string, unknown>;
    /** What the reseal fixes, for the log: field names and forms, never values. */
    fixed: string[];
}

/**
 * Reads every secret of the stored `native` (the instance object's, not js-controller's decrypted copy). A field
 * stored in plain text or in an older form is re-encrypted in its canonical form, and only when that form reads
 * back as canonical with the same value: the next start finds nothing to fix and writes nothing (no restart loop).
 */
export function readSecrets(stored: Record<string, unknown>, crypto: SecretCrypto): SecretsAtRest {
    const values: Record<string, unknown> = {};
    const reseal: Record<string, unknown> = {};
    const fixed: string[] = [];
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
        const usedRows: unknown[] = [];
        const storedRows = stored.channels.map((row: unknown, i: number) => {
            if (typeof row !== 'object' || row === null) {
                usedRows.push(row);
                return row;
            }
            const record = row as Record<string, unknown>;
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
            fixed.push(
                `channels[${i + 1}].psk (${reading.form === 'plain' ? 'plain text' : "not in the form's scheme"})`,
            );
            return { ...record, psk: sealed };
        });
        values.channels = usedRows;
        if (changed) {
            reseal.channels = storedRows;
        }
    }
    return { values, reseal: fixed.length > 0 ? reseal : undefined, fixed };
}

/** The adapter's part used to store secrets: the instance object and the system secret. */
export interface SecretsHost {
    readInstanceObject(): Promise<{ native?: Record<string, unknown> } | null | undefined>;
    /** Stores `fields` into the instance object's `native` (js-controller then restarts the instance). */
    writeInstanceNative(fields: Record<string, unknown>): Promise<void>;
    readSystemSecret(): Promise<string | undefined>;
    encrypt(value: string): string;
    decrypt(value: string): string;
}

export interface LoadedSecrets {
    /** The secrets in use, to lay over `native`; undefined when the instance object could not be read. */
    values?: Record<string, unknown>;
    /** What was re-encrypted and stored (field names); empty when nothing was written. */
    fixed: string[];
    /** Why storing them failed (the values are still in use). */
    writeError?: string;
}

/** Reads the stored secrets and stores those found in plain text or an older form re-encrypted. */
export async function loadSecrets(host: SecretsHost): Promise<LoadedSecrets> {
    const obj = await host.readInstanceObject();
    if (!obj?.native) {
        return { fixed: [] };
    }
    const secret = (await host.readSystemSecret()) || DEFAULT_SYSTEM_SECRET;
    const result = readSecrets(obj.native, { encrypt: host.encrypt, decrypt: host.decrypt, secret });
    if (!result.reseal) {
        return { values: result.values, fixed: [] };
    }
    try {
        await host.writeInstanceNative(result.reseal);
        return { values: result.values, fixed: result.fixed };
    } catch (e) {
        return { values: result.values, fixed: [], writeError: String(e) };
    }
}
