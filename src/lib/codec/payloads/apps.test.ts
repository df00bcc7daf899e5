import { Mesh, PaxCount, StoreForward } from '@meshtastic/protobufs';
import { expect } from 'chai';
import { encodeText } from './fields';
import { bin, decoded, Port } from './fixtures.test';

describe('codec/payloads/apps', () => {
    it('waypoint', () => {
        const bytes = bin(Mesh.WaypointSchema, {
            id: 7,
            latitudeI: 100000000,
            longitudeI: 200000000,
            expire: 1700000000,
            lockedTo: 3,
            name: 'Camp\0',
            description: 'tent',
            icon: 0x1f3d5,
        });
        expect(decoded(Port.WAYPOINT_APP, bytes)).to.deep.equal({
            type: 'waypoint',
            waypoint: {
                id: 7,
                latitude: 10,
                longitude: 20,
                expire: 1700000000,
                lockedTo: 3,
                name: 'Camp',
                description: 'tent',
                icon: 0x1f3d5,
            },
        });
        const nowhere = decoded(Port.WAYPOINT_APP, bin(Mesh.WaypointSchema, { id: 1 }));
        expect(nowhere.type === 'waypoint' && nowhere.waypoint.latitude).to.equal(undefined);
    });

    it('paxcounter', () => {
        const bytes = bin(PaxCount.PaxcountSchema, { wifi: 3, ble: 4, uptime: 5 });
        expect(decoded(Port.PAXCOUNTER_APP, bytes)).to.deep.equal({
            type: 'paxcounter',
            paxcounter: { wifi: 3, ble: 4, uptime: 5 },
        });
    });

    it('store and forward heartbeat and text', () => {
        const text = bin(StoreForward.StoreAndForwardSchema, {
            rr: StoreForward.StoreAndForward_RequestResponse.ROUTER_TEXT_BROADCAST,
            variant: { case: 'text', value: encodeText('stored') },
        });
        expect(decoded(Port.STORE_FORWARD_APP, text)).to.deep.equal({
            type: 'storeforward',
            storeForward: { kind: 'ROUTER_TEXT_BROADCAST', text: 'stored' },
        });
        const stats = bin(StoreForward.StoreAndForwardSchema, {
            rr: 999 as StoreForward.StoreAndForward_RequestResponse,
            variant: { case: 'stats', value: {} },
        });
        expect(decoded(Port.STORE_FORWARD_APP, stats)).to.deep.equal({
            type: 'storeforward',
            storeForward: { kind: '999' },
        });
    });
});
