import { expect } from 'chai';
import { computePresence, offlineMs, updatePresence } from './presence';
import type { Presence } from './types';

const T = Date.UTC(2026, 0, 1);
const MIN = 60_000;

describe('mesh: presence', () => {
    const window = offlineMs(120);

    it('is mqtt while the node uplinked itself recently', () => {
        expect(computePresence({ lastHeard: T, lastMqtt: T }, T + 119 * MIN, window)).to.equal('mqtt');
    });

    it('falls back to rf when only heard through others', () => {
        expect(computePresence({ lastHeard: T + 60 * MIN, lastMqtt: T }, T + 130 * MIN, window)).to.equal('rf');
        expect(computePresence({ lastHeard: T, lastMqtt: 0 }, T + MIN, window)).to.equal('rf');
    });

    it('is offline once nothing arrived for offlineMinutes', () => {
        expect(computePresence({ lastHeard: T, lastMqtt: T }, T + 120 * MIN, window)).to.equal('offline');
        expect(computePresence({ lastHeard: 0, lastMqtt: 0 }, T, window)).to.equal('offline');
    });

    it('treats times in the future (clock skew) as recent', () => {
        expect(computePresence({ lastHeard: T + 5 * MIN, lastMqtt: 0 }, T, window)).to.equal('rf');
    });

    it('updatePresence reports changes only', () => {
        const node: { lastHeard: number; lastMqtt: number; presence: Presence } = {
            lastHeard: T,
            lastMqtt: T,
            presence: 'offline',
        };
        expect(updatePresence(node, T, window)).to.equal(true);
        expect(node.presence).to.equal('mqtt');
        expect(updatePresence(node, T + MIN, window)).to.equal(false);
        node.lastHeard = T + 100 * MIN;
        expect(updatePresence(node, T + 150 * MIN, window)).to.equal(true);
        expect(node.presence).to.equal('rf');
    });
});
