import { expect } from 'chai';
import { decoded, eventsOfType, meshModel, sectionsOf, T0 } from '../../../test-support/mesh-fixtures';
import { Port, textPort } from '../../../test-support/packet-fixtures';

const A = 0x11111111;
const B = 0x22222222;

describe('mesh/handlers: alert', () => {
    it('keeps the last alert on the node and passes it on as a flagged channel text', () => {
        const m = meshModel();
        const events = m.ingest(
            decoded({ from: A, id: 1, data: { portnum: Port.ALERT_APP }, payload: textPort(Port.ALERT_APP, 'Fire!') }),
            T0,
        );
        expect(sectionsOf(events, A)).to.include.members(['alert', 'messages']);
        expect(m.node(A)?.alert).to.deep.equal({ text: 'Fire!', time: T0 });
        const [channel] = eventsOfType(events, 'channelMessage');
        expect(channel.message).to.include({ text: 'Fire!', alert: true, channel: 'LongFast' });
        expect(m.node(A)?.lastText?.alert).to.equal(true);
        // a plain text carries no flag
        const plain = m.ingest(decoded({ from: A, id: 2, payload: { type: 'text', text: 'hi' } }), T0 + 1);
        expect(eventsOfType(plain, 'channelMessage')[0].message.alert).to.equal(undefined);
    });

    it('a direct alert is a direct message event', () => {
        const m = meshModel();
        const events = m.ingest(
            decoded({ from: A, to: B, data: { portnum: Port.ALERT_APP }, payload: textPort(Port.ALERT_APP, 'SOS') }),
            T0,
        );
        expect(eventsOfType(events, 'directMessage')[0].message).to.include({ text: 'SOS', alert: true, direct: true });
    });
});
