import { expect } from 'chai';
import { parseNodeNum } from './field-reader';

describe('config: parseNodeNum', () => {
    it('reads the forms users type', () => {
        expect(parseNodeNum('!a1b2c3d4')).to.equal(0xa1b2c3d4);
        expect(parseNodeNum('A1B2C3D4')).to.equal(0xa1b2c3d4);
        expect(parseNodeNum('1234')).to.equal(1234);
        expect(parseNodeNum('!a1b2')).to.equal(undefined);
        expect(parseNodeNum('99999999999')).to.equal(undefined);
    });
});
