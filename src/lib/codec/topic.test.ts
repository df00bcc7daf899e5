import { expect } from 'chai';
import fc from 'fast-check';
import { buildMapTopic, buildTopic, parseTopic } from './topic';
import type { ParsedTopic } from './types';

function parsed(topic: string, maxLength?: number): ParsedTopic {
    const result = parseTopic(topic, maxLength);
    if (!result.ok) {
        expect.fail(`parseTopic(${topic}) failed: ${result.message}`);
    }
    return result.value;
}

function refused(topic: string, maxLength?: number): string {
    const result = parseTopic(topic, maxLength);
    expect(result.ok, topic).to.equal(false);
    if (result.ok) {
        return '';
    }
    expect(result.reason).to.equal('topic');
    return result.message;
}

describe('codec/topic', () => {
    it('parses e/c/json topics under roots of any depth', () => {
        expect(parsed('msh/2/e/LongFast/!a1b2c3d4')).to.deep.equal({
            root: 'msh',
            kind: 'e',
            channelId: 'LongFast',
            gatewayId: '!a1b2c3d4',
        });
        expect(parsed('msh/EU_868/2/c/MediumFast/!00000001')).to.deep.equal({
            root: 'msh/EU_868',
            kind: 'c',
            channelId: 'MediumFast',
            gatewayId: '!00000001',
        });
        expect(parsed('msh/US/CA/bay/2/json/LongFast/!deadbeef')).to.deep.equal({
            root: 'msh/US/CA/bay',
            kind: 'json',
            channelId: 'LongFast',
            gatewayId: '!deadbeef',
        });
        expect(parsed('msh/EU_868/2/e/PKI/!0000abcd').channelId).to.equal('PKI');
        // The gateway level is never inspected by firmware: any single level is recorded as is.
        expect(parsed('msh/2/e/LongFast/someone').gatewayId).to.equal('someone');
        // Levels named like the version digit do not confuse the right-to-left parse.
        expect(parsed('msh/2/x/2/e/2/!a')).to.deep.equal({
            root: 'msh/2/x',
            kind: 'e',
            channelId: '2',
            gatewayId: '!a',
        });
    });

    it('parses map topics with the trailing slash, without it, or with one level after it', () => {
        expect(parsed('msh/EU_868/2/map/')).to.deep.equal({ root: 'msh/EU_868', kind: 'map' });
        expect(parsed('msh/2/map')).to.deep.equal({ root: 'msh', kind: 'map' });
        expect(parsed('msh/US/2/map/!a1b2c3d4')).to.deep.equal({ root: 'msh/US', kind: 'map', gatewayId: '!a1b2c3d4' });
    });

    it('refuses malformed topics with a clear reason', () => {
        expect(refused('')).to.contain('empty');
        expect(refused(`msh/${'x'.repeat(300)}/2/e/LongFast/!a`)).to.contain('longer than 256');
        expect(refused('msh/2/e/LongFast/!a', 10)).to.contain('longer than 10');
        expect(refused('msh/2/e/+/!a')).to.contain('wildcard');
        expect(refused('msh/#')).to.contain('wildcard');
        expect(refused('msh/2/e//!a')).to.contain('empty channel');
        expect(refused('msh/2/e/LongFast/')).to.contain('empty gateway');
        expect(refused('msh//2/e/LongFast/!a')).to.contain('empty level');
        expect(refused('/msh/2/e/LongFast/!a')).to.contain('empty level');
        expect(refused('/2/e/LongFast/!a')).to.contain('no root');
        expect(refused('2/e/LongFast/!a')).to.contain('no root');
        expect(refused('/2/map/')).to.contain('no root');
        expect(refused('msh/2/stat/!a1b2c3d4')).to.contain('status topic');
        expect(refused('msh/EU_868/2/stat/!a1b2c3d4')).to.contain('status topic');
        expect(refused('msh/1/c/LongFast/!a')).to.contain('1.x');
        expect(refused('msh/2/e/LongFast')).to.contain('exactly');
        expect(refused('msh/2/e/LongFast/!a/extra')).to.contain('exactly');
        expect(refused('msh/2/map/a/b')).to.contain('map topic');
        expect(refused('msh/2/heap/!a')).to.contain('unknown topic kind');
        expect(refused('some/other/topic')).to.contain('not a Meshtastic topic');
        expect(refused('msh')).to.contain('not a Meshtastic topic');
        expect(refused(undefined as unknown as string)).to.contain('not a string');
    });

    it('builds topics that parse back', () => {
        expect(buildTopic('msh/EU_868', 'LongFast', '!a1b2c3d4')).to.equal('msh/EU_868/2/e/LongFast/!a1b2c3d4');
        expect(buildTopic('msh/EU_868/', 'LongFast', '!a')).to.equal('msh/EU_868/2/e/LongFast/!a');
        expect(buildMapTopic('msh/EU_868')).to.equal('msh/EU_868/2/map/');
        expect(buildMapTopic('msh//')).to.equal('msh/2/map/');
        const level = fc.stringMatching(/^[A-Za-z0-9_!.\- ]{1,12}$/);
        fc.assert(
            fc.property(
                fc.array(level, { minLength: 1, maxLength: 4 }),
                level,
                level,
                (rootLevels, channel, gateway) => {
                    const root = rootLevels.join('/');
                    expect(parsed(buildTopic(root, channel, gateway))).to.deep.equal({
                        root,
                        kind: 'e',
                        channelId: channel,
                        gatewayId: gateway,
                    });
                    expect(parsed(buildMapTopic(root))).to.deep.equal({ root, kind: 'map' });
                },
            ),
        );
    });

    it('never throws on arbitrary strings', () => {
        fc.assert(
            fc.property(fc.string({ maxLength: 300 }), topic => {
                const result = parseTopic(topic);
                expect(result.ok === true || result.reason === 'topic').to.equal(true);
            }),
            { numRuns: 2000 },
        );
    });
});
