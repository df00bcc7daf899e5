/**
 * The virtual node's identity at start: configured in the settings, else kept in the adapter's own object
 * `identity`, else generated now and kept there. Not in the instance's `native`: writing that makes js-controller
 * restart the instance, and the first start would read like a crash. The private key is stored encrypted with the
 * adapter's `encrypt()` (the system secret), as js-controller stores `encryptedNative` fields.
 */
import { nodeIdString } from './codec';
import { parseNodeNum, type VirtualNodeSettings } from './config';
import { createIdentity, type VirtualNodeIdentity } from './send';

/** Id of the object, relative to the adapter's namespace. */
export const IDENTITY_OBJECT_ID = 'identity';

/** What the identity object's `native` holds: the node id in plain text (public), the private key encrypted. */
export interface IdentityNative {
    nodeId?: string;
    privateKey?: string;
}

/** The adapter's part used here: its own objects and the system secret's encrypt/decrypt. */
export interface IdentityHost {
    readIdentityObject(id: string): Promise<{ native?: Record<string, unknown> } | null | undefined>;
    writeIdentityObject(id: string, native: IdentityNative): Promise<void>;
    encrypt(value: string): string;
    decrypt(value: string): string;
}

export type IdentityLoad =
    | {
          ok: true;
          identity: VirtualNodeIdentity;
          /** What was generated in this start and stored ('node id', 'key pair'); empty when nothing was. */
          created: string[];
      }
    | { ok: false; error: string };

interface Stored {
    nodeNum?: number;
    /** Base64 private key, decrypted. */
    privateKey?: string;
    native: IdentityNative;
}

async function readStored(host: IdentityHost): Promise<Stored | { error: string }> {
    const obj = await host.readIdentityObject(IDENTITY_OBJECT_ID);
    const native = obj?.native ?? {};
    const stored: Stored = { native: {} };
    if (typeof native.nodeId === 'string' && native.nodeId !== '') {
        stored.nodeNum = parseNodeNum(native.nodeId);
        stored.native.nodeId = native.nodeId;
    }
    if (typeof native.privateKey === 'string' && native.privateKey !== '') {
        stored.native.privateKey = native.privateKey;
        try {
            stored.privateKey = host.decrypt(native.privateKey);
        } catch {
            // aes with another system secret: never replace the key silently (nodes know the old public key)
            return { error: `the private key in ${IDENTITY_OBJECT_ID} cannot be decrypted (system secret changed?)` };
        }
    }
    return stored;
}

/**
 * The identity: node number from the settings, else the stored one, else a new one; key from the settings, else
 * the stored one, else a new pair. What was generated is stored before it is used, so a restart keeps it.
 */
export async function loadIdentity(settings: VirtualNodeSettings, host: IdentityHost): Promise<IdentityLoad> {
    const stored = await readStored(host);
    if ('error' in stored) {
        return { ok: false, error: stored.error };
    }
    const configuredKey = settings.privateKey.trim();
    const result = createIdentity(
        {
            nodeNum: settings.nodeNum,
            longName: settings.longName,
            shortName: settings.shortName,
            hwModel: settings.hwModel,
            role: settings.role,
            privateKey: configuredKey !== '' ? configuredKey : (stored.privateKey ?? ''),
        },
        stored.nodeNum,
    );
    if (!result.ok) {
        return result;
    }
    const created: string[] = [];
    const native: IdentityNative = { ...stored.native };
    if (result.generatedNodeNum) {
        native.nodeId = nodeIdString(result.identity.nodeNum);
        created.push('node id');
    }
    if (result.generatedKey) {
        native.privateKey = host.encrypt(result.privateKeyBase64);
        created.push('key pair');
    }
    if (created.length > 0) {
        await host.writeIdentityObject(IDENTITY_OBJECT_ID, native);
    }
    return { ok: true, identity: result.identity, created };
}
