"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.IDENTITY_OBJECT_ID = void 0;
exports.loadIdentity = loadIdentity;
/**
 * The virtual node's identity at start: configured in the settings, else kept in the adapter's own object
 * `identity`, else generated now and kept there. Not in the instance's `native`: writing that makes js-controller
 * restart the instance, and the first start would read like a crash. The private key is stored encrypted with the
 * adapter's `encrypt()` (the system secret), as js-controller stores `encryptedNative` fields.
 */
const codec_1 = require("./codec");
const config_1 = require("./config");
const send_1 = require("./send");
/** Id of the object, relative to the adapter's namespace. */
exports.IDENTITY_OBJECT_ID = 'identity';
async function readStored(host) {
    const obj = await host.readIdentityObject(exports.IDENTITY_OBJECT_ID);
    const native = obj?.native ?? {};
    const stored = { native: {} };
    if (typeof native.nodeId === 'string' && native.nodeId !== '') {
        stored.nodeNum = (0, config_1.parseNodeNum)(native.nodeId);
        stored.native.nodeId = native.nodeId;
    }
    if (typeof native.privateKey === 'string' && native.privateKey !== '') {
        stored.native.privateKey = native.privateKey;
        try {
            stored.privateKey = host.decrypt(native.privateKey);
        }
        catch {
            // aes with another system secret: never replace the key silently (nodes know the old public key)
            return { error: `the private key in ${exports.IDENTITY_OBJECT_ID} cannot be decrypted (system secret changed?)` };
        }
    }
    return stored;
}
/**
 * The identity: node number from the settings, else the stored one, else a new one; key from the settings, else
 * the stored one, else a new pair. What was generated is stored before it is used, so a restart keeps it.
 */
async function loadIdentity(settings, host) {
    const stored = await readStored(host);
    if ('error' in stored) {
        return { ok: false, error: stored.error };
    }
    const configuredKey = settings.privateKey.trim();
    const result = (0, send_1.createIdentity)({
        nodeNum: settings.nodeNum,
        longName: settings.longName,
        shortName: settings.shortName,
        hwModel: settings.hwModel,
        role: settings.role,
        privateKey: configuredKey !== '' ? configuredKey : (stored.privateKey ?? ''),
    }, stored.nodeNum);
    if (!result.ok) {
        return result;
    }
    const created = [];
    const native = { ...stored.native };
    if (result.generatedNodeNum) {
        native.nodeId = (0, codec_1.nodeIdString)(result.identity.nodeNum);
        created.push('node id');
    }
    if (result.generatedKey) {
        native.privateKey = host.encrypt(result.privateKeyBase64);
        created.push('key pair');
    }
    if (created.length > 0) {
        await host.writeIdentityObject(exports.IDENTITY_OBJECT_ID, native);
    }
    return { ok: true, identity: result.identity, created };
}
