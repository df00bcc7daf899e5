/** NODEINFO_APP: the sender's names, hardware, role and public key. */
import { Buffer } from 'node:buffer';
import type { UserInfo } from '../../codec/types';
import type { ChangeSet } from '../change-set';
import type { NodeRecord, NodeUser } from '../types';
import { userOf } from '../record';
import { shallowEqual } from '../util';

function publicKeyBase64(key: Uint8Array | undefined): string | undefined {
    return key instanceof Uint8Array && key.length === 32 ? Buffer.from(key).toString('base64') : undefined;
}

export function applyUser(node: NodeRecord, user: UserInfo, changes: ChangeSet): void {
    // user.id is ignored on purpose: the id is always the sender's `from`; names are data only.
    const next: NodeUser = userOf(user);
    const key = publicKeyBase64(user.publicKey);
    if (key !== undefined) {
        next.publicKey = key;
    }
    if (!shallowEqual(node.user, next)) {
        node.user = next;
        changes.mark(node, 'info');
    }
}

/** A PKI packet carries the sender's public key: keep it when the NodeInfo had none. */
export function learnPublicKey(node: NodeRecord, key: Uint8Array | undefined, changes: ChangeSet): void {
    const publicKey = node.user && node.user.publicKey === undefined ? publicKeyBase64(key) : undefined;
    if (node.user && publicKey !== undefined) {
        node.user = { ...node.user, publicKey };
        changes.mark(node, 'info');
    }
}
