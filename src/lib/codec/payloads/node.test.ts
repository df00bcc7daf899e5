import type { Config } from '@meshtastic/protobufs';
import { Mesh, Mqtt } from '@meshtastic/protobufs';
import { expect } from 'chai';
import { enumName, stripNul } from './fields';
import { bin, decoded, Port } from './fixtures.test';
import { encodeUser } from './node';

describe('codec/payloads/node', () => {
    describe('nodeinfo', () => {
        it('round-trips our own User and names enums', () => {
            const publicKey = new Uint8Array(32).fill(7);
            const bytes = encodeUser({
                id: '!a1b2c3d4',
                longName: 'ioBroker',
                shortName: 'ioB',
                hwModel: 255,
                role: 0,
                publicKey,
                isLicensed: false,
            });
            expect(decoded(Port.NODEINFO_APP, bytes)).to.deep.equal({
                type: 'nodeinfo',
                user: {
                    id: '!a1b2c3d4',
                    longName: 'ioBroker',
                    shortName: 'ioB',
                    hwModel: 'PRIVATE_HW',
                    hwModelNumber: 255,
                    role: 'CLIENT',
                    roleNumber: 0,
                    isLicensed: false,
                    isUnmessagable: false,
                    publicKey,
                },
            });
        });

        it('keeps unknown enum numbers as strings and strips NUL padding', () => {
            const bytes = bin(Mesh.UserSchema, {
                id: '!00000001',
                longName: 'Name\0\0\0',
                shortName: 'N\0',
                // numbers newer firmware may send but the bundled enums do not know
                hwModel: 9999 as Mesh.HardwareModel,
                role: 77 as Config.Config_DeviceConfig_Role,
                isUnmessagable: true,
            });
            const payload = decoded(Port.NODEINFO_APP, bytes);
            if (payload.type !== 'nodeinfo') {
                expect.fail('not nodeinfo');
            }
            expect(payload.user).to.include({
                longName: 'Name',
                shortName: 'N',
                hwModel: '9999',
                hwModelNumber: 9999,
                role: '77',
                isUnmessagable: true,
            });
            expect(enumName(Mesh.HardwareModel, -5)).to.equal('-5');
            expect(stripNul('abc')).to.equal('abc');
        });
    });

    describe('map report', () => {
        it('map report without location', () => {
            const bytes = bin(Mqtt.MapReportSchema, { longName: 'X', region: 3, modemPreset: 4, hwModel: 43, role: 2 });
            const payload = decoded(Port.MAP_REPORT_APP, bytes);
            if (payload.type !== 'mapreport') {
                expect.fail('not a map report');
            }
            expect(payload.mapReport).to.include({
                region: 'EU_868',
                modemPreset: 'MEDIUM_FAST',
                hwModel: 'HELTEC_V3',
                role: 'ROUTER',
            });
            expect(payload.mapReport.latitude).to.equal(undefined);
            expect(payload.mapReport.altitude).to.equal(undefined);
        });
    });
});
