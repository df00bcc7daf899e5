import { expect } from 'chai';
import fc from 'fast-check';
import { channelRecord } from './fixtures.test';
import { expectValidId } from './state-rules.test';
import { channelBaseId, channelStates, sanitizeIdPart } from './index';

describe('states/mapping: ids', () => {
    it('sanitises id parts', () => {
        expect(sanitizeIdPart('LongFast')).to.equal('LongFast');
        expect(sanitizeIdPart('a.b')).to.equal('a_b');
        expect(sanitizeIdPart('my channel#1+x/y*z?')).to.equal('my_channel_1_x_y_z_');
        expect(sanitizeIdPart('')).to.equal('_');
        expect(sanitizeIdPart('Grüße')).to.equal('Grüße');
        expect(sanitizeIdPart('x'.repeat(200))).to.have.length(48);
        expect(channelBaseId('Admin.Chan')).to.equal('channels.Admin_Chan');
    });

    it('keeps any channel name to exactly one valid id level', () => {
        fc.assert(
            fc.property(
                fc.oneof(fc.string({ maxLength: 100 }), fc.string({ unit: 'binary', maxLength: 100 })),
                name => {
                    const id = channelBaseId(name);
                    expectValidId(id);
                    expect(id.split('.')).to.have.length(2);
                    for (const entry of channelStates(channelRecord(name))) {
                        expectValidId(entry.id);
                        expect(entry.id.split('.')).to.have.length(3);
                    }
                },
            ),
            { numRuns: 500 },
        );
    });
});
