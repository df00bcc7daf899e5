'use strict';
// Encryption and decryption written from the protocol description with node:crypto and the official protobufs alone,
// so tests do not trust the adapter's own codec to check what the adapter encrypted or to build what it receives.
const crypto = require('node:crypto');
const { create, fromBinary, toBinary } = require('@bufbuild/protobuf');
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

/**
 * A channel-encrypted packet as a firmware gateway uplinks it: Data (official protobufs, OK_TO_MQTT bitfield) under
 * AES-CTR with the channel key, in a MeshPacket with the channel hash, in a ServiceEnvelope on `<root>/2/e/<channel>/<gw>`.
 */
function encryptChannel({ root, channel = 'LongFast', key = DEFAULT_KEY, from, to = 0xffffffff, id, gatewayId, data, header = {} }) {
    const plain = toBinary(Mesh.DataSchema, create(Mesh.DataSchema, { bitfield: 1, ...data }));
    const cipher = crypto.createCipheriv(key.length === 32 ? 'aes-256-ctr' : 'aes-128-ctr', key, ctrNonce(id, from));
    const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
    const packet = create(Mesh.MeshPacketSchema, {
        from,
        to,
        id,
        channel: channelHash(channel, key),
        hopLimit: 3,
        hopStart: 3,
        ...header,
        payloadVariant: { case: 'encrypted', value: encrypted },
    });
    const envelope = create(Mqtt.ServiceEnvelopeSchema, { packet, channelId: channel, gatewayId });
    return { topic: `${root}/2/e/${channel}/${gatewayId}`, payload: Buffer.from(toBinary(Mqtt.ServiceEnvelopeSchema, envelope)) };
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

module.exports = { decodeUser, DEFAULT_KEY, channelHash, decodeEnvelope, decryptChannel, encryptChannel, x25519KeyPair, decryptPki };
