import { expect } from 'chai';
import { CONFIG_KINDS, classify, describeFailure, type FailureKind } from './client-failures';

const withCode = (code: string | number, message = 'x'): Error => Object.assign(new Error(message), { code });

describe('transport/client-failures', () => {
    it('classifies CONNACK codes (3.1.1 and 5) and socket errors', () => {
        const cases: [unknown, FailureKind][] = [
            [withCode(4), 'credentials'],
            [withCode(5), 'credentials'],
            [withCode(0x86), 'credentials'],
            [withCode(0x8a), 'credentials'],
            [withCode(2), 'client-id'],
            [withCode(0x85), 'client-id'],
            [withCode(3), 'unavailable'],
            [withCode(0x89), 'unavailable'],
            [withCode(0x99), 'connack'],
            [withCode('ENOTFOUND'), 'dns'],
            [withCode('EAI_AGAIN'), 'dns'],
            [withCode('ECONNREFUSED'), 'refused'],
            [withCode('EHOSTUNREACH'), 'unreachable'],
            [withCode('ETIMEDOUT'), 'unreachable'],
            [withCode('ECONNRESET'), 'reset'],
            [withCode('EPIPE'), 'reset'],
            [withCode('DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls'],
            [withCode('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls'],
            [withCode('EPROTO'), 'tls'],
            [new Error('connack timeout'), 'timeout'],
            [new Error('something else'), 'other'],
            [undefined, 'other'],
        ];
        for (const [error, kind] of cases) {
            expect(classify(error), String((error as { code?: unknown })?.code ?? error)).to.equal(kind);
        }
    });

    it('logs as errors only what the user must change', () => {
        expect([...CONFIG_KINDS].sort()).to.deep.equal(['client-id', 'credentials', 'dns', 'tls']);
    });

    it('says a broker that went away went away, and names the client id only for a takeover', () => {
        const ctx = { url: 'mqtt://h:1883', clientId: 'iob-1', connectTimeoutMs: 30000 };
        const away = describeFailure(ctx, 'went-away', undefined, 120);
        expect(away).to.equal(
            'The broker mqtt://h:1883 went away 120 ms after the connection was made (stopped or restarted?); reconnecting, retrying with growing pauses',
        );
        expect(describeFailure(ctx, 'dropped', withCode('ECONNRESET', 'read ECONNRESET'), 80)).to.equal(
            'The connection to mqtt://h:1883 broke 80 ms after it was made (read ECONNRESET); retrying with growing pauses',
        );
        const kinds: FailureKind[] = ['went-away', 'dropped', 'refused', 'reset', 'closed', 'unreachable', 'timeout'];
        for (const kind of kinds) {
            expect(describeFailure(ctx, kind, withCode('E'), 5), kind).not.to.match(/client id/);
        }
        expect(describeFailure(ctx, 'taken-over', undefined, 40)).to.match(
            /broke 40 ms after it was made, several times in a row, while the broker stayed reachable\. Does another client use the same client id "iob-1"\?/,
        );
        expect(describeFailure(ctx, 'client-id', withCode(2), 0)).to.include('rejected the client id "iob-1" (code 2)');
        expect(describeFailure(ctx, 'credentials', withCode(4), 0)).to.include('bad user name or password (code 4)');
        expect(describeFailure(ctx, 'credentials', withCode(5, 'Connection refused: Not authorized'), 0)).to.include(
            'refused the login: not authorized (code 5)',
        );
        expect(describeFailure(ctx, 'timeout', undefined)).to.include('within 30000 ms');
    });
});
