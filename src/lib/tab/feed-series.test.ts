import { expect } from 'chai';
import { MINUTE, T0, telemetry, text } from '../../test-support/mesh-fixtures';
import { MAX_SERIES_METRICS } from './feed';
import { A, B, C, D, Harness, hexOf, hexes } from '../../test-support/tab-fixtures';

describe('tab: TabFeed', () => {
    describe('telemetry series', () => {
        it('adds a point per metric for each device telemetry report', () => {
            const h = new Harness();
            h.self(A, T0, { id: 1, payload: telemetry('device', { batteryLevel: 90, voltage: 4.1 }) });
            h.self(A, T0 + MINUTE, { id: 2, payload: telemetry('device', { batteryLevel: 89, voltage: 4.05 }) });
            h.self(A, T0 + 2 * MINUTE, { id: 3, payload: telemetry('device', { batteryLevel: 88, voltage: 4.0 }) });
            h.self(A, T0 + 3 * MINUTE, { id: 4, payload: text('no telemetry') });
            expect(h.feed.seriesOf(A)).to.deep.equal({
                'device.batteryLevel': [
                    [T0, 90],
                    [T0 + MINUTE, 89],
                    [T0 + 2 * MINUTE, 88],
                ],
                'device.voltage': [
                    [T0, 4.1],
                    [T0 + MINUTE, 4.05],
                    [T0 + 2 * MINUTE, 4.0],
                ],
            });
            expect(h.feed.seriesOf(B)).to.deep.equal({});
        });

        it('keeps series per variant and repeats known metrics a report left out', () => {
            const h = new Harness();
            h.self(A, T0, { id: 1, payload: telemetry('environment', { temperature: 21.5, relativeHumidity: 40 }) });
            h.self(A, T0 + MINUTE, { id: 2, payload: telemetry('environment', { temperature: 22 }) });
            h.self(A, T0 + 2 * MINUTE, { id: 3, payload: telemetry('device', { batteryLevel: 70 }) });
            expect(h.feed.seriesOf(A)).to.deep.equal({
                'environment.temperature': [
                    [T0, 21.5],
                    [T0 + MINUTE, 22],
                ],
                'environment.relativeHumidity': [
                    [T0, 40],
                    [T0 + MINUTE, 40],
                ],
                'device.batteryLevel': [[T0 + 2 * MINUTE, 70]],
            });
        });

        it('replaces the point of a second report at the same time', () => {
            const h = new Harness();
            h.self(A, T0, { id: 1, payload: telemetry('device', { batteryLevel: 50 }) });
            h.self(A, T0, { id: 2, payload: telemetry('device', { batteryLevel: 60 }) });
            expect(h.feed.seriesOf(A)).to.deep.equal({ 'device.batteryLevel': [[T0, 60]] });
        });

        it('keeps the newest seriesPoints points', () => {
            const h = new Harness({}, { seriesPoints: 3 });
            for (let i = 1; i <= 5; i++) {
                h.self(A, T0 + i * MINUTE, { id: i, payload: telemetry('device', { batteryLevel: 100 - i }) });
            }
            expect(h.feed.seriesOf(A)['device.batteryLevel']).to.deep.equal([
                [T0 + 3 * MINUTE, 97],
                [T0 + 4 * MINUTE, 96],
                [T0 + 5 * MINUTE, 95],
            ]);
        });

        it(`keeps at most ${MAX_SERIES_METRICS} metrics per node, the first ones reported`, () => {
            const h = new Harness();
            const metrics = (prefix: string, value: number): Record<string, number> =>
                Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`${prefix}${i}`, value + i]));
            h.self(A, T0, { id: 1, payload: telemetry('device', metrics('d', 0)) });
            h.self(A, T0 + MINUTE, { id: 2, payload: telemetry('environment', metrics('e', 0)) });
            h.self(A, T0 + 2 * MINUTE, { id: 3, payload: telemetry('environment', metrics('e', 100)) });
            const series = h.feed.seriesOf(A);
            const keys = Object.keys(series);
            expect(keys).to.have.length(MAX_SERIES_METRICS);
            expect(keys).to.deep.equal([
                ...Array.from({ length: 10 }, (_, i) => `device.d${i}`),
                ...Array.from({ length: MAX_SERIES_METRICS - 10 }, (_, i) => `environment.e${i}`),
            ]);
            expect(series['environment.e0']).to.deep.equal([
                [T0 + MINUTE, 0],
                [T0 + 2 * MINUTE, 100],
            ]);
        });

        it('drops the series of removed nodes', () => {
            const h = new Harness({ maxNodes: 2 });
            h.self(A, T0, { id: 1, payload: telemetry('device', { batteryLevel: 10 }) });
            h.self(B, T0 + 1, { id: 2, payload: telemetry('device', { batteryLevel: 20 }) });
            expect(h.feed.seriesOf(A)).to.have.property('device.batteryLevel');
            h.self(C, T0 + 2, { id: 3, payload: telemetry('device', { batteryLevel: 30 }) });
            expect(h.model.node(A)).to.equal(undefined);
            expect(h.feed.seriesOf(A)).to.deep.equal({});
            // Heard again, the node starts a new series.
            h.self(A, T0 + 3, { id: 4, payload: telemetry('device', { batteryLevel: 11 }) });
            expect(h.feed.seriesOf(A)).to.deep.equal({ 'device.batteryLevel': [[T0 + 3, 11]] });
        });

        it('keeps series of at most maxSeriesNodes nodes, dropping the least recently updated', () => {
            const h = new Harness({}, { maxSeriesNodes: 2 });
            const report = (num: number, id: number, value: number): void => {
                h.self(num, T0 + id, { id, payload: telemetry('device', { batteryLevel: value }) });
            };
            report(A, 1, 10);
            report(B, 2, 20);
            report(C, 3, 30); // drops A
            expect(h.feed.seriesOf(A)).to.deep.equal({});
            report(B, 4, 21); // B is now the most recent
            report(D, 5, 40); // drops C
            expect(h.feed.seriesOf(C)).to.deep.equal({});
            expect(h.feed.seriesOf(B)['device.batteryLevel']).to.deep.equal([
                [T0 + 2, 20],
                [T0 + 4, 21],
            ]);
            expect(h.feed.seriesOf(D)['device.batteryLevel']).to.deep.equal([[T0 + 5, 40]]);
            // The nodes themselves are still rows.
            expect(hexes(h.full())).to.deep.equal([A, B, C, D].map(hexOf));
        });
    });
});
