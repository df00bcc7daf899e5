/**
 * Loader for the shared real captures (`shared/vectors/meshtastic-vectors.json`), typed for the codec tests.
 * Lives in a `.test.ts` file so it never ships in the build; its own test checks the file's layout.
 */
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface VectorPacket {
    from: number;
    to: number;
    id?: number;
    channel?: number;
    hop_limit?: number;
    hop_start?: number;
    want_ack?: boolean;
    rx_time?: number;
    rx_snr?: number;
    rx_rssi?: number;
    priority?: number;
    relay_node?: number;
    next_hop?: number;
    payload_variant: 'encrypted' | 'decoded';
    channel_hash_matches_key?: boolean;
}

export interface EnvelopeVector {
    name: string;
    topic: string;
    hex: string;
    key_base64: string | null;
    expected: {
        envelope: { channel_id: string; gateway_id: string };
        packet: VectorPacket;
        decrypted_data_hex?: string;
        data?: { portnum: string; request_id?: number; want_response?: boolean; bitfield?: number };
        payload?: Record<string, unknown>;
        decryptable_with_default_key?: boolean;
    };
}

export interface CtrPrimitive {
    name: string;
    key_base64?: string;
    key_hex?: string;
    iv_hex?: string;
    packet_id?: number;
    from?: number;
    nonce_hex?: string;
    ciphertext_base64?: string;
    plaintext_base64?: string;
    ciphertext_hex?: string;
    plaintext_hex?: string;
    plaintext?: string;
}

export interface PkiPrimitive {
    name: string;
    header: { to: number; from: number; id: number; hop_limit: number; want_ack: boolean; hop_start: number };
    encrypted_payload_hex: string;
    receiver_private_key_hex: string;
    sender_public_key_hex: string;
    shared_key_sha256_hex: string;
    nonce13_hex: string;
    extra_nonce_hex: string;
    auth_tag_hex: string;
    expected: { plaintext_hex: string; text: string; portnum: string };
}

export interface EncoderReproduction {
    name: string;
    inputs: {
        from: string;
        to: string;
        id: number;
        channel_id: string;
        gateway_id: string;
        key_base64: string;
        channel_hash: number;
        hop_start: number;
        data: { portnum: number; payload_utf8: string; bitfield: number };
    };
    data_plain_hex: string;
    data_encrypted_hex: string;
    hex_hop_limit_0: string;
    hex_hop_limit_3: string;
}

export interface VectorFile {
    default_psk: { short: string; expanded_base64: string; expanded_hex: string };
    channel_hash_default_psk: Record<string, number>;
    primitives: (CtrPrimitive & Record<string, unknown>)[];
    vectors: EnvelopeVector[];
    encoder_reproductions: EncoderReproduction[];
}

function vectorsPath(): string {
    const candidates = [
        join(__dirname, '..', '..', '..', '..', 'shared', 'vectors', 'meshtastic-vectors.json'),
        join(__dirname, '..', '..', '..', 'shared', 'vectors', 'meshtastic-vectors.json'),
    ];
    const found = candidates.find(p => existsSync(p));
    if (!found) {
        throw new Error(`meshtastic-vectors.json not found (looked in ${candidates.join(', ')})`);
    }
    return found;
}

export const vectorFile = JSON.parse(readFileSync(vectorsPath(), 'utf8')) as VectorFile;

/** The envelope vectors, with `<root>` replaced. */
export function vectorEnvelopes(root = 'msh/EU_868'): (EnvelopeVector & { topicText: string; bytes: Uint8Array })[] {
    return vectorFile.vectors.map(v => ({
        ...v,
        topicText: v.topic.replace('<root>', root),
        bytes: new Uint8Array(Buffer.from(v.hex, 'hex')),
    }));
}

export function primitive(name: string): CtrPrimitive & Record<string, unknown> {
    const found = vectorFile.primitives.find(p => p.name === name);
    if (!found) {
        throw new Error(`no primitive ${name}`);
    }
    return found;
}

export function pkiPrimitive(): PkiPrimitive {
    return primitive('pki_firmware_test_PKC') as unknown as PkiPrimitive;
}

export function hex(bytes: Uint8Array): string {
    return Buffer.from(bytes).toString('hex');
}

export function fromHex(text: string): Uint8Array {
    return new Uint8Array(Buffer.from(text, 'hex'));
}

describe('codec test vectors file', () => {
    it('has the layout the codec tests rely on', () => {
        expect(vectorFile.vectors).to.have.length.greaterThan(20);
        expect(vectorFile.encoder_reproductions).to.have.length.greaterThan(0);
        expect(vectorFile.default_psk.expanded_hex).to.equal('d4f1bb3a20290759f0bcffabcf4e6901');
        for (const v of vectorFile.vectors) {
            expect(v.hex, v.name).to.match(/^([0-9a-f]{2})+$/);
            expect(v.expected.packet.payload_variant, v.name).to.be.oneOf(['encrypted', 'decoded']);
        }
    });
});
