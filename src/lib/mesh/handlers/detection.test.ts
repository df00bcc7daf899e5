import { expect } from 'chai';
import { decoded, meshModel, nodeEvent, sectionsOf, T0 } from '../../../test-support/mesh-fixtures';
import { Port, textPort } from '../../../test-support/packet-fixtures';
import { sanitizeRecord } from '../restore';

const A = 0x11111111;

function detection(id: number, text: string): ReturnType<typeof decoded> {
    return decoded({
        from: A,
        id,
        data: { portnum: Port.DETECTION_SENSOR_APP },
        payload: textPort(Port.DETECTION_SENSOR_APP, text),
    });
}

describe('mesh/handlers: detection sensor', () => {
    it('raises the alarm with the text and turns it off once the alarm time has passed', () => {
        const m = meshModel({ detectionAlarmMs: 60_000 });
        const events = m.ingest(detection(1, 'Motion detected'), T0);
        expect(sectionsOf(events, A)).to.include('detection');
        expect(m.node(A)?.detection).to.deep.equal({ text: 'Motion detected', time: T0, alarm: true });
        expect(m.expireDetections(T0 + 59_999)).to.deep.equal([]);
        // a second detection keeps it on from then
        m.ingest(detection(2, 'Motion detected'), T0 + 30_000);
        expect(m.expireDetections(T0 + 60_000)).to.deep.equal([]);
        const off = m.expireDetections(T0 + 90_000);
        expect(nodeEvent(off, A)?.sections).to.deep.equal(new Set(['detection']));
        expect(m.node(A)?.detection).to.deep.equal({ text: 'Motion detected', time: T0 + 30_000, alarm: false });
        expect(m.expireDetections(T0 + 200_000)).to.deep.equal([]);
    });

    it('the tick turns alarms off too (also restored ones), together with presence changes', () => {
        const m = meshModel({ detectionAlarmMs: 10_000, offlineMinutes: 1 });
        m.ingest(detection(1, 'Door open'), T0);
        const tick = m.tick(T0 + 120_000);
        expect(nodeEvent(tick, A)?.sections).to.deep.equal(new Set(['status', 'detection']));
        expect(m.node(A)?.detection?.alarm).to.equal(false);
    });

    it('uses 60 s by default and cleans hostile text', () => {
        const m = meshModel();
        m.ingest(detection(1, 'bad\u0007\u202etext'), T0);
        expect(m.node(A)?.detection?.text).to.equal('badtext');
        expect(m.detectionAlarmDuration).to.equal(60_000);
        expect(m.expireDetections(T0 + 60_000)).to.have.length(1);
    });

    it('is restored from a persisted record', () => {
        const restored = sanitizeRecord(
            { num: A, lastHeard: T0, detection: { text: 'x', time: T0, alarm: true }, alert: { text: 7 } },
            5,
        );
        expect(restored?.detection).to.deep.equal({ text: 'x', time: T0, alarm: true });
        expect(restored?.alert).to.deep.equal({ text: '', time: 0 });
    });
});
