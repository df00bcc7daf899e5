import { Mesh } from '@meshtastic/protobufs';
import { expect } from 'chai';
import { bin, decoded, Port } from './fixtures.test';
import { accuracyMeters, encodePosition, normalisePrecisionBits } from './position';

describe('codec/payloads/position', () => {
    it('converts coordinates and reports precision and accuracy', () => {
        const bytes = bin(Mesh.PositionSchema, {
            latitudeI: 515000000,
            longitudeI: -1000000,
            altitude: 12,
            time: 1700000000,
            groundSpeed: 3,
            groundTrack: 9000000,
            satsInView: 9,
            precisionBits: 13,
        });
        const payload = decoded(Port.POSITION_APP, bytes);
        expect(payload).to.deep.equal({
            type: 'position',
            position: {
                latitude: 51.5,
                longitude: -0.1,
                altitude: 12,
                time: 1700000000,
                groundSpeed: 3,
                groundTrack: 90,
                satsInView: 9,
                precisionBits: 13,
                accuracyMeters: accuracyMeters(13),
            },
        });
    });

    it('leaves coordinates out when the node sent none (absent or 0/0)', () => {
        const none = decoded(Port.POSITION_APP, bin(Mesh.PositionSchema, { time: 5 }));
        expect(none).to.deep.equal({
            type: 'position',
            position: { precisionBits: 32, accuracyMeters: 0, time: 5 },
        });
        const zero = decoded(
            Port.POSITION_APP,
            bin(Mesh.PositionSchema, { latitudeI: 0, longitudeI: 0, timestamp: 7 }),
        );
        expect(zero).to.deep.equal({
            type: 'position',
            position: { precisionBits: 32, accuracyMeters: 0, time: 7 },
        });
        const equator = decoded(Port.POSITION_APP, bin(Mesh.PositionSchema, { latitudeI: 0, longitudeI: 10 }));
        expect(equator.type === 'position' && equator.position.latitude).to.equal(0);
    });

    it('computes the precision cell radius', () => {
        expect(accuracyMeters(32)).to.equal(0);
        expect(accuracyMeters(0)).to.equal(0);
        expect(accuracyMeters(13)).to.be.closeTo(2918, 1); // cell ≈ 5.8 km, radius half of it
        expect(accuracyMeters(14)).to.be.closeTo(1459, 1);
        expect(accuracyMeters(16)).to.be.closeTo(364.8, 0.1);
        expect(normalisePrecisionBits(undefined)).to.equal(32);
        expect(normalisePrecisionBits(40)).to.equal(32);
        expect(normalisePrecisionBits(Number.NaN)).to.equal(32);
        expect(normalisePrecisionBits(12.7)).to.equal(12);
    });

    it('encodes positions, snapping reduced precision to the cell centre like firmware', () => {
        const full = decoded(
            Port.POSITION_APP,
            encodePosition({ latitude: 52.52, longitude: 13.405, altitude: 34.4, time: 9 }),
        );
        expect(full).to.deep.equal({
            type: 'position',
            position: {
                latitude: 52.52,
                longitude: 13.405,
                altitude: 34,
                time: 9,
                precisionBits: 32,
                accuracyMeters: 0,
            },
        });
        const coarse = decoded(
            Port.POSITION_APP,
            encodePosition({ latitude: 52.52, longitude: 13.405, precisionBits: 16 }),
        );
        if (coarse.type !== 'position') {
            expect.fail('not a position');
        }
        const lat = Math.round(52.52e7);
        const expectedLat = ((lat & (0xffffffff << 16)) + (1 << 15)) / 1e7;
        expect(coarse.position.latitude).to.equal(expectedLat);
        expect(coarse.position.precisionBits).to.equal(16);
        expect(Math.abs((coarse.position.latitude ?? 0) - 52.52)).to.be.lessThan(0.0033);
        expect(Math.abs((coarse.position.longitude ?? 0) - 13.405)).to.be.lessThan(0.0033);
        const south = decoded(
            Port.POSITION_APP,
            encodePosition({ latitude: -33.9, longitude: -151.2, precisionBits: 13 }),
        );
        expect(south.type === 'position' && Math.abs((south.position.latitude ?? 0) + 33.9)).to.be.lessThan(0.06);
    });
});
