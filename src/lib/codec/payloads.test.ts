import { expect } from 'chai';
import fc from 'fast-check';
import { decodePayload, encodeText, enumName } from './payloads';
import { decoded, Port } from './payloads/fixtures.test';

describe('codec/payloads', () => {
    describe('text ports', () => {
        it('decodes text, range test, detection sensor and alert', () => {
            const bytes = encodeText('héllo 👋');
            expect(decoded(Port.TEXT_MESSAGE_APP, bytes)).to.deep.equal({ type: 'text', text: 'héllo 👋' });
            expect(decoded(Port.RANGE_TEST_APP, encodeText('seq 1'))).to.deep.equal({
                type: 'rangetest',
                text: 'seq 1',
            });
            expect(decoded(Port.DETECTION_SENSOR_APP, encodeText('motion'))).to.deep.equal({
                type: 'detection',
                text: 'motion',
            });
            expect(decoded(11, encodeText('fire'))).to.deep.equal({ type: 'alert', text: 'fire' });
        });

        it('never throws on invalid UTF-8 (replacement characters instead)', () => {
            const payload = decoded(Port.TEXT_MESSAGE_APP, new Uint8Array([0x41, 0xf0, 0x9f, 0x42, 0xff]));
            expect(payload).to.deep.equal({ type: 'text', text: 'A\ufffdB\ufffd' });
            fc.assert(
                fc.property(fc.uint8Array({ maxLength: 64 }), bytes => {
                    expect(decodePayload(Port.TEXT_MESSAGE_APP, bytes).payload.type).to.equal('text');
                }),
            );
        });
    });

    describe('dispatch', () => {
        it('keeps other ports raw', () => {
            const bytes = new Uint8Array([1, 2, 3]);
            expect(decoded(Port.ADMIN_APP, bytes)).to.deep.equal({ type: 'raw', portnum: Port.ADMIN_APP, bytes });
            expect(decoded(4242, bytes)).to.deep.equal({ type: 'raw', portnum: 4242, bytes });
        });

        it('turns payloads that do not parse into raw + error, for every structured port', () => {
            const garbage = new Uint8Array([0x0a, 0xff, 0xff]);
            for (const port of [3, 4, 5, 8, 34, 65, 67, 70, 71, 73]) {
                const result = decodePayload(port, garbage);
                expect(result.payload, `port ${port}`).to.deep.equal({ type: 'raw', portnum: port, bytes: garbage });
                expect(result.error, `port ${port}`).to.match(new RegExp(`^${enumName(Port, port)}: `));
            }
        });

        it('never throws for any port and any bytes', () => {
            fc.assert(
                fc.property(fc.integer({ min: -1, max: 300 }), fc.uint8Array({ maxLength: 80 }), (port, bytes) => {
                    const result = decodePayload(port, bytes);
                    expect(result.payload.type).to.be.a('string');
                }),
                { numRuns: 3000 },
            );
        });
    });
});
