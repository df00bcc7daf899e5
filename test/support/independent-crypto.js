'use strict';
// Decryption written from the protocol description with node:crypto alone, so send-path tests do not trust the
// adapter's own codec to check what the adapter encrypted.
const crypto = require('node:crypto');
const { fromBinary } = require('@bufbuild/protobuf');
const { Mqtt, Mesh } = require('@meshtastic/protobufs');

const DEFAULT_KEY = Buffer.from('d4f1bb3a20290759f0bcffabcf4e6901', 'hex');

function ctrNonce(id, from) {
    const nonce = Buffer.alloc(16);
    nonce.writeUInt32LE(id >>> 0, 0);
    nonce.writeUInt32LE(from >>> 0, 8);
    return nonce;
}

/** XOR of the name's UTF-8 bytes and the key's bytes (firmware's channel hash). */
function channelHash(name, key) {
    let h = 0;
    for (const b of Buffer.from(name, 'utf8')) h ^= b;
    for (const b of key) h ^= b;
    return h;
}

function decodeEnvelope(payload) {
    return fromBinary(Mqtt.ServiceEnvelopeSchema, payload);
}

function decryptChannel(packet, key = DEFAULT_KEY) {
    const decipher = crypto.createDecipheriv(key.length === 32 ? 'aes-256-ctr' : 'aes-128-ctr', key, ctrNonce(packet.id, packet.from));
    const plain = Buffer.concat([decipher.update(packet.payloadVariant.value), decipher.final()]);
    return fromBinary(Mesh.DataSchema, plain);
}

function x25519KeyPair() {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('x25519');
    const jwk = privateKey.export({ format: 'jwk' });
    return {
        publicKey: Buffer.from(jwk.x, 'base64url'),
        privateKey: Buffer.from(jwk.d, 'base64url'),
        publicKeyObject: publicKey,
        privateKeyObject: privateKey,
    };
}

function decryptPki(packet, ourPrivateKeyObject, senderPublicRaw) {
    const peer = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: senderPublicRaw.toString('base64url') }, format: 'jwk' });
    const shared = crypto.createHash('sha256').update(crypto.diffieHellman({ privateKey: ourPrivateKeyObject, publicKey: peer })).digest();
    const enc = Buffer.from(packet.payloadVariant.value);
    const ciphertext = enc.subarray(0, enc.length - 12);
    const tag = enc.subarray(enc.length - 12, enc.length - 4);
    const extraNonce = enc.subarray(enc.length - 4);
    const nonce = Buffer.alloc(13);
    nonce.writeUInt32LE(packet.id >>> 0, 0);
    extraNonce.copy(nonce, 4);
    nonce.writeUInt32LE(packet.from >>> 0, 8);
    const decipher = crypto.createDecipheriv('aes-256-ccm', shared, nonce, { authTagLength: 8 });
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    return fromBinary(Mesh.DataSchema, plain);
}

function decodeUser(bytes) {
    return fromBinary(Mesh.UserSchema, bytes);
}

module.exports = { decodeUser, DEFAULT_KEY, channelHash, decodeEnvelope, decryptChannel, x25519KeyPair, decryptPki };
