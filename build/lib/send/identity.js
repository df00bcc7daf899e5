"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BITFIELD_WANT_RESPONSE = exports.BITFIELD_OK_TO_MQTT = void 0;
exports.isUsableNodeNum = isUsableNodeNum;
exports.generateNodeNum = generateNodeNum;
exports.parsePrivateKey = parsePrivateKey;
exports.createIdentity = createIdentity;
exports.nodeInfoData = nodeInfoData;
/**
 * The adapter's virtual node: node number, names and X25519 key pair, and the NodeInfo it announces.
 *
 * The key must stay stable: once a node has stored our public key, a NodeInfo with another key is dropped
 * ("Public Key mismatch"), so a broken stored key is reported, never silently replaced.
 */
const node_crypto_1 = require("node:crypto");
const codec_1 = require("../codec");
/** `Data.bitfield` bit 0: the sender allows its packets on MQTT. */
exports.BITFIELD_OK_TO_MQTT = 1;
/** `Data.bitfield` bit 1: mirrors `want_response` (firmware `Router.h`). */
exports.BITFIELD_WANT_RESPONSE = 2;
/**
 * A node number we may use: not 0 (unset), not 1 (NODENUM_BROADCAST_NO_LORA), not 2–4 (reserved, rejected by
 * other virtual-node tools too), not 0xFFFFFFFF (broadcast).
 */
function isUsableNodeNum(num) {
    return Number.isInteger(num) && num > 4 && num < 0xffffffff;
}
function randomUint32() {
    return (0, node_crypto_1.randomBytes)(4).readUInt32LE(0);
}
/** A random usable node number. `random` returns a uint32 (injected by tests). */
function generateNodeNum(random = randomUint32) {
    for (let attempt = 0; attempt < 64; attempt++) {
        const num = random() >>> 0;
        if (isUsableNodeNum(num)) {
            return num;
        }
    }
    // only a broken random source gets here; any fixed usable number keeps the adapter working
    return 0x1e0b0001;
}
/** Decodes a base64 X25519 private key; undefined unless it is exactly 32 bytes of valid base64. */
function parsePrivateKey(base64) {
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
function createIdentity(settings, storedNodeNum, random = randomUint32) {
    let nodeNum;
    let generatedNodeNum = false;
    if (settings.nodeNum !== undefined) {
        if (!isUsableNodeNum(settings.nodeNum)) {
            return { ok: false, error: `node number ${settings.nodeNum} cannot be used` };
        }
        nodeNum = settings.nodeNum >>> 0;
    }
    else if (storedNodeNum !== undefined && isUsableNodeNum(storedNodeNum)) {
        nodeNum = storedNodeNum >>> 0;
    }
    else {
        nodeNum = generateNodeNum(random);
        generatedNodeNum = true;
    }
    let privateKey;
    let publicKey;
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
        publicKey = (0, codec_1.publicKeyFromPrivate)(parsed);
    }
    else {
        const pair = (0, codec_1.generateKeyPair)();
        privateKey = pair.privateKey;
        publicKey = pair.publicKey;
        generatedKey = true;
    }
    return {
        ok: true,
        identity: {
            nodeNum,
            id: (0, codec_1.nodeIdString)(nodeNum),
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
function nodeInfoData(identity, wantResponse = false) {
    const payload = (0, codec_1.encodeUser)({
        id: identity.id,
        longName: identity.longName,
        shortName: identity.shortName,
        hwModel: identity.hwModel,
        role: identity.role,
        publicKey: identity.publicKey,
    });
    return {
        portnum: codec_1.NODEINFO_APP,
        payload,
        wantResponse,
        bitfield: exports.BITFIELD_OK_TO_MQTT | (wantResponse ? exports.BITFIELD_WANT_RESPONSE : 0),
    };
}
