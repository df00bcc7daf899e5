"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.applyUser = applyUser;
exports.learnPublicKey = learnPublicKey;
/** NODEINFO_APP: the sender's names, hardware, role and public key. */
const node_buffer_1 = require("node:buffer");
const record_1 = require("../record");
const util_1 = require("../util");
function publicKeyBase64(key) {
    return key instanceof Uint8Array && key.length === 32 ? node_buffer_1.Buffer.from(key).toString('base64') : undefined;
}
function applyUser(node, user, changes) {
    // user.id is ignored on purpose: the id is always the sender's `from`; names are data only.
    const next = (0, record_1.userOf)(user);
    const key = publicKeyBase64(user.publicKey);
    if (key !== undefined) {
        next.publicKey = key;
    }
    if (!(0, util_1.shallowEqual)(node.user, next)) {
        node.user = next;
        changes.mark(node, 'info');
    }
}
/** A PKI packet carries the sender's public key: keep it when the NodeInfo had none. */
function learnPublicKey(node, key, changes) {
    const publicKey = node.user && node.user.publicKey === undefined ? publicKeyBase64(key) : undefined;
    if (node.user && publicKey !== undefined) {
        node.user = { ...node.user, publicKey };
        changes.mark(node, 'info');
    }
}
