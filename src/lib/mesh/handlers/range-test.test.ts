import { expect } from 'chai';
import { decoded, meshModel, sectionsOf, T0 } from '../../../test-support/mesh-fixtures';
import { Port, textPort } from '../../../test-support/packet-fixtures';

const A = 0x11111111;

describe('mesh/handlers: range test', () => {
    it('keeps the sequence number and how the gateway received it', () => {
        const m = meshModel();
        const events = m.ingest(
            decoded({
                from: A,
                data: { portnum: Port.RANGE_TEST_APP },
                header: { rxSnr: 7.25, rxRssi: -101 },
                payload: textPort(Port.RANGE_TEST_APP, 'seq 42'),
            }),
            T0,
        );
        expect(sectionsOf(events, A)).to.include('rangeTest');
        expect(m.node(A)?.rangeTest).to.deep.equal({ sequence: 42, snr: 7.25, rssi: -101, time: T0 });
    });

    it('counts other texts without a sequence, and via MQTT only without RF metrics', () => {
        const m = meshModel();
        m.ingest(
            decoded({
                from: A,
                data: { portnum: Port.RANGE_TEST_APP },
                header: { viaMqtt: true },
                payload: textPort(Port.RANGE_TEST_APP, 'hello'),
            }),
            T0,
        );
        expect(m.node(A)?.rangeTest).to.deep.equal({ time: T0 });
    });
});

describe('mesh: compressed texts', () => {
    it('are counted (no compatible decoder) and change nothing else', () => {
        const m = meshModel();
        const events = m.ingest(
            decoded({
                from: A,
                data: { portnum: Port.TEXT_MESSAGE_COMPRESSED_APP },
                payload: textPort(Port.TEXT_MESSAGE_COMPRESSED_APP, '\u0001\u0002'),
            }),
            T0,
        );
        expect(m.stats().compressedTexts).to.equal(1);
        expect(m.stats().decoded).to.equal(1);
        expect(sectionsOf(events, A)).to.have.members(['status', 'radio']);
    });
});
