import { expect } from 'chai';
import { decoded, meshModel, sectionsOf, T0 } from '../../../test-support/mesh-fixtures';
import { paxcount, Port } from '../../../test-support/packet-fixtures';

const A = 0x11111111;

describe('mesh/handlers: paxcounter', () => {
    it('keeps the counts like a telemetry variant (`pax`), flagged only when they change', () => {
        const m = meshModel();
        const first = m.ingest(
            decoded({
                from: A,
                id: 1,
                data: { portnum: Port.PAXCOUNTER_APP },
                payload: paxcount({ wifi: 12, ble: 30, uptime: 3600 }),
            }),
            T0,
        );
        expect(sectionsOf(first, A)).to.include('telemetry.pax');
        expect(m.node(A)?.telemetry.pax).to.deep.equal({ wifi: 12, ble: 30, uptime: 3600 });
        const same = m.ingest(
            decoded({
                from: A,
                id: 2,
                data: { portnum: Port.PAXCOUNTER_APP },
                payload: paxcount({ wifi: 12, ble: 30, uptime: 3600 }),
            }),
            T0 + 1,
        );
        expect(sectionsOf(same, A)).to.deep.equal(['status']);
        // proto3 zeros are real counts: an empty Paxcount is "nobody around"
        m.ingest(decoded({ from: A, id: 3, data: { portnum: Port.PAXCOUNTER_APP }, payload: paxcount({}) }), T0 + 2);
        expect(m.node(A)?.telemetry.pax).to.deep.equal({ wifi: 0, ble: 0, uptime: 0 });
    });
});
