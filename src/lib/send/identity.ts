/**
 * The adapter's virtual node: node number, names and X25519 key pair, and the NodeInfo it announces.
 *
 * The key must stay stable: once a node has stored our public key, a NodeInfo with another key is dropped
 * ("Public Key mismatch"), so a broken stored key is reported, never silently replaced.
 */
import { randomBytes } from 'node:crypto';
import { encodeUser, generateKeyPair, NODEINFO_APP, nodeIdString, publicKeyFromPrivate } from '../codec';
import type { DataInput } from '../codec';

/** `Data.bitfield` bit 0: the sender allows its packets on MQTT. */
export const BITFIELD_OK_TO_MQTT = 1;
/** `Data.bitfield` bit 1: mirrors `want_response` (firmware `Router.h`). */
export const BITFIELD_WANT_RESPONSE = 2;

export interface VirtualNodeIdentity {
    nodeNum: number;
    /** `!xxxxxxxx` */
    id: string;
    longName: string;
    shortName: string;
    hwModel: number;
    role: number;
    /** 32-byte X25519 private key. */
    privateKey: Uint8Array;
    /** 32-byte X25519 public key, advertised in our NodeInfo. */
    publicKey: Uint8Array;
}

/**
 * A node number we may use: not 0 (unset), not 1 (NODENUM_BROADCAST_NO_LORA), not 2–4 (reserved, rejected by
 * other virtual-node tools too), not 0xFFFFFFFF (broadcast).
 */
export function isUsableNodeNum(num: number): boolean {
    return Number.isInteger(num) && num > 4 && num < 0xffffffff;
}

function randomUint32(): number {
    return randomBytes(4).readUInt32LE(0);
}

/** A random usable node number. `random` returns a uint32 (injected by tests). */
export function generateNodeNum(random: () => number = randomUint32): number {
    for (let attempt = 0; attempt < 64; attempt++) {
        const num = random() >>> 0;
        if (isUsableNodeNum(num)) {
            return num;
        }
    }
    // only a broken random source gets here; any fixed usable number keeps the adapter working
    return 0x1e0b0001;
}

export interface IdentitySettings {
    /** From the configuration; wins over the stored one. */
    nodeNum?: number;
    longName: string;
    shortName: string;
    hwModel: number;
    role: number;
    /** Base64 X25519 private key (standard or URL-safe), or '' to generate one. */
    privateKey: string;
}

export type IdentityResult =
    | {
          ok: true;
          identity: VirtualNodeIdentity;
          /** The node number was generated now: the integrator must store it (pass it as `storedNodeNum` next time). */
          generatedNodeNum: boolean;
          /** The key pair was generated now: the integrator must store `privateKeyBase64`. */
          generatedKey: boolean;
          privateKeyBase64: string;
      }
    | { ok: false; error: string };

/** Decodes a base64 X25519 private key; undefined unless it is exactly 32 bytes of valid base64. */
export function parsePrivateKey(base64: string): Uint8Array | undefined {
    const standard = base64
        .trim()
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .replace(/={1,2}$/, '');
    if (!/^[A-Za-z0-9+/]{43}$/.test(standard)) {
        return undefined;
    }
    const bytes = Buffer.from(standard, 'base64');
    return bytes.length === 32 ? new Uint8Array(bytes) : undefined;
}

/**
 * Builds the identity from the settings. Node number: configured, else the stored one, else a new random one.
 * Key: the configured one, else a new pair. A configured but unusable key is an error (never replaced silently).
 */
export function createIdentity(
    settings: IdentitySettings,
    storedNodeNum?: number,
    random: () => number = randomUint32,
): IdentityResult {
    let nodeNum: number;
    let generatedNodeNum = false;
    if (settings.nodeNum !== undefined) {
        if (!isUsableNodeNum(settings.nodeNum)) {
            return { ok: false, error: `node number ${settings.nodeNum} cannot be used` };
        }
        nodeNum = settings.nodeNum >>> 0;
    } else if (storedNodeNum !== undefined && isUsableNodeNum(storedNodeNum)) {
        nodeNum = storedNodeNum >>> 0;
    } else {
        nodeNum = generateNodeNum(random);
        generatedNodeNum = true;
    }

    let privateKey: Uint8Array;
    let publicKey: Uint8Array;
    let generatedKey = false;
    const configuredKey = settings.privateKey.trim();
    if (configuredKey !== '') {
        const parsed = parsePrivateKey(configuredKey);
        if (!parsed) {
            return {
                ok: false,
                error: 'the stored private key is not a 32-byte base64 X25519 key (clear it to generate a new one; nodes that know the old key will then ignore our NodeInfo until they forget it)',
            };
        }
        privateKey = parsed;
        publicKey = publicKeyFromPrivate(parsed);
    } else {
        const pair = generateKeyPair();
        privateKey = pair.privateKey;
        publicKey = pair.publicKey;
        generatedKey = true;
    }

    return {
        ok: true,
        identity: {
            nodeNum,
            id: nodeIdString(nodeNum),
            longName: settings.longName,
            shortName: settings.shortName,
            hwModel: settings.hwModel,
            role: settings.role,
            privateKey,
            publicKey,
        },
        generatedNodeNum,
        generatedKey,
        privateKeyBase64: Buffer.from(privateKey).toString('base64'),
    };
}

/** NODEINFO_APP Data carrying our User (with public key); `wantResponse` asks the receiver for its NodeInfo. */
export function nodeInfoData(identity: VirtualNodeIdentity, wantResponse = false): DataInput {
    const payload = encodeUser({
        id: identity.id,
        longName: identity.longName,
        shortName: identity.shortName,
        hwModel: identity.hwModel,
        role: identity.role,
        publicKey: identity.publicKey,
    });
    return {
        portnum: NODEINFO_APP,
        payload,
        wantResponse,
        bitfield: BITFIELD_OK_TO_MQTT | (wantResponse ? BITFIELD_WANT_RESPONSE : 0),
    };
}
