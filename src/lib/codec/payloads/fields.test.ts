import { Mesh } from '@meshtastic/protobufs';
import { expect } from 'chai';
import { decodeText, degrees, encodeText, enumName, stripNul } from './fields';

describe('codec/payloads/fields', () => {
    it('names enum values, and keeps numbers the bundled protobufs do not know as strings', () => {
        expect(enumName(Mesh.HardwareModel, 43)).to.equal('HELTEC_V3');
        expect(enumName(Mesh.HardwareModel, 9999)).to.equal('9999');
    });

    it('round-trips UTF-8 text, replaces invalid sequences and strips NUL padding', () => {
        expect(decodeText(encodeText('héllo 👋'))).to.equal('héllo 👋');
        expect(decodeText(new Uint8Array([0x41, 0xff]))).to.equal('A\ufffd');
        expect(stripNul('Name\0\0')).to.equal('Name');
        expect(stripNul('\0')).to.equal('');
    });

    it('turns 1e-7 degree integers into degrees without representation noise', () => {
        expect(degrees(-828217400)).to.equal(-82.82174);
        expect(degrees(515000000)).to.equal(51.5);
        expect(degrees(0)).to.equal(0);
    });
});
