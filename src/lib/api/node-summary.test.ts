import { expect } from 'chai';
import { nodeSummary } from './node-summary';
import { fullNode } from '../states/fixtures.test';

describe('api/node-summary', () => {
    it('summarises a node; details only with detailed === true (safe for Array.map)', () => {
        const node = fullNode();
        const summary = nodeSummary(node);
        expect(summary).to.deep.include({
            id: '!a1b2c3d4',
            hex: 'a1b2c3d4',
            objectId: 'nodes.a1b2c3d4',
            name: 'Alpha Base (!a1b2c3d4)',
            longName: 'Alpha Base',
            presence: 'rf',
            hopsAway: 1,
            latitude: 48.1234567,
        });
        expect(summary.details).to.equal(undefined);
        expect([node, node].map(nodeSummary).every(s => s.details === undefined)).to.equal(true);
        expect(nodeSummary(node, true).details?.telemetry).to.deep.equal(node.telemetry);
        expect(() => JSON.stringify(nodeSummary(node, true))).not.to.throw();
    });
});
