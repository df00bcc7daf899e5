import { expect } from 'chai';
import fc from 'fast-check';
import { channelRecord } from './fixtures.test';
import { expectValidId } from './state-rules.test';
import { channelStates } from './batches';
import { channelBaseId, isSendStateId, nodeHexOf, sanitizeIdPart } from './ids';

describe('states/ids', () => {
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

    it('extracts the node hex of an id', () => {
        expect(nodeHexOf('nodes.a1b2c3d4')).to.equal('a1b2c3d4');
        expect(nodeHexOf('nodes.a1b2c3d4.info.id')).to.equal('a1b2c3d4');
        expect(nodeHexOf('nodes.xyz.info')).to.equal(undefined);
        expect(nodeHexOf('channels.a1b2c3d4')).to.equal(undefined);
    });

    it('tells send and sendStatus ids (no data) from data states', () => {
        expect(isSendStateId('channels.LongFast.send')).to.equal(true);
        expect(isSendStateId('nodes.a1b2c3d4.sendStatus')).to.equal(true);
        expect(isSendStateId('nodes.a1b2c3d4.info.send')).to.equal(false);
        expect(isSendStateId('messages.send')).to.equal(false);
        expect(isSendStateId('channels.LongFast.lastMessage')).to.equal(false);
    });
});
