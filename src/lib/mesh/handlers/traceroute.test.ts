import { expect } from 'chai';
import { decoded, meshModel, nodeinfo, sectionsOf, T0 } from '../../../test-support/mesh-fixtures';
import { Port, routeDiscovery } from '../../../test-support/packet-fixtures';

const REQUESTER = 0x11111111;
const RELAY = 0x22222222;
const TARGET = 0x33333333;

describe('mesh/handlers: traceroute', () => {
    it('keeps a reply on the node traced to: towards with each hop and SNR in dB, back as far as it got', () => {
        const m = meshModel();
        m.ingest(decoded({ from: REQUESTER, id: 1, payload: nodeinfo({ longName: 'Home', shortName: 'HOME' }) }), T0);
        m.ingest(decoded({ from: RELAY, id: 2, payload: nodeinfo({ longName: '', shortName: 'RLY' }) }), T0);
        const events = m.ingest(
            decoded({
                from: TARGET,
                to: REQUESTER,
                id: 3,
                data: { portnum: Port.TRACEROUTE_APP, requestId: 77 },
                // wire SNR is dB × 4; -128 = unknown
                payload: routeDiscovery({ route: [RELAY], snrTowards: [24, -128], routeBack: [RELAY], snrBack: [-10] }),
            }),
            T0 + 5,
        );
        expect(sectionsOf(events, TARGET)).to.include('traceroute');
        expect(m.node(TARGET)?.traceroute).to.deep.equal({
            time: T0 + 5,
            from: '!11111111',
            towards: [{ id: '!11111111', name: 'Home' }, { id: '!22222222', name: 'RLY', snr: 6 }, { id: '!33333333' }],
            // the reply has not reached the requester yet: no SNR entry for it
            back: [{ id: '!33333333' }, { id: '!22222222', name: 'RLY', snr: -2.5 }],
        });
        expect(m.node(REQUESTER)?.traceroute).to.equal(undefined);
    });

    it('ends the way back at the requester once the reply got there; a direct route has no relays', () => {
        const m = meshModel();
        m.ingest(
            decoded({
                from: TARGET,
                to: REQUESTER,
                data: { portnum: Port.TRACEROUTE_APP, requestId: 5 },
                payload: routeDiscovery({ snrTowards: [40], snrBack: [-20] }),
            }),
            T0,
        );
        const route = m.node(TARGET)?.traceroute;
        expect(route?.towards).to.deep.equal([{ id: '!11111111' }, { id: '!33333333', snr: 10 }]);
        expect(route?.back).to.deep.equal([{ id: '!33333333' }, { id: '!11111111', snr: -5 }]);
    });

    it('ignores requests (route still incomplete) and bounds hostile routes', () => {
        const m = meshModel();
        const request = m.ingest(
            decoded({
                from: REQUESTER,
                to: TARGET,
                data: { portnum: Port.TRACEROUTE_APP, wantResponse: true },
                payload: routeDiscovery({ route: [RELAY] }),
            }),
            T0,
        );
        expect(sectionsOf(request, REQUESTER)).to.not.include('traceroute');
        expect(m.node(REQUESTER)?.traceroute).to.equal(undefined);
        const long = Array.from({ length: 200 }, (_, i) => 0x40000000 + i);
        m.ingest(
            decoded({
                from: TARGET,
                to: REQUESTER,
                id: 9,
                data: { portnum: Port.TRACEROUTE_APP, requestId: 1 },
                payload: routeDiscovery({ route: long, routeBack: long }),
            }),
            T0 + 1,
        );
        const route = m.node(TARGET)?.traceroute;
        expect(route?.towards.length).to.be.at.most(12);
        expect(route?.back.length).to.be.at.most(12);
    });

    it('ignores a reply to the broadcast address', () => {
        const m = meshModel();
        m.ingest(
            decoded({
                from: TARGET,
                data: { portnum: Port.TRACEROUTE_APP, requestId: 1 },
                payload: routeDiscovery({}),
            }),
            T0,
        );
        expect(m.node(TARGET)?.traceroute).to.equal(undefined);
    });
});
