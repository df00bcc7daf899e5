'use strict';
// The official repository checker on this repository, offline (run.js, offline-services.js). It runs in a child
// process: the checker keeps module-level state (file cache, flags) and prints a lot.
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { CLEARED_BY_PUBLISHING, WRONG_FOR_THIS_ADAPTER, codeOf } = require('./run');

describe('@iobroker/repochecker (official, offline)', () => {
    let result;

    before(function () {
        this.timeout(120000);
        const out = execFileSync(process.execPath, [path.join(__dirname, 'run.js'), '--json'], { encoding: 'utf8' });
        result = JSON.parse(out.trim().split('\n').pop());
        const codes = list => list.map(codeOf).join(', ') || 'none';
        console.log(
            `      repochecker ${result.version} on ${result.commit}, ${result.requests} requests answered locally`,
        );
        console.log(`      cleared by publishing: ${codes(result.clearedByPublishing)}`);
        console.log(`      rule wrong for this adapter (README): ${codes(result.wrongForThisAdapter)}`);
        console.log(`      suggestions: ${codes(result.suggestions)}`);
    });

    it('ran to the end on the pinned version', () => {
        assert.equal(result.version, require('@iobroker/repochecker/package.json').version);
        assert.equal(result.version, require('./package.json').dependencies['@iobroker/repochecker']);
        assert.ok(!result.errors.some(e => e.startsWith('[E9999]')), result.errors.join('\n'));
        assert.ok(result.requests > 100, `only ${result.requests} requests: the checker stopped early`);
    });

    it('needed no service that is not answered from the tree or a snapshot', () => {
        // The npm registry is asked for the newest version of each dependency (S0082/W0083): a daily-changing answer,
        // not reproducible offline; those lookups fail as without network and the checker skips them.
        const other = result.unanswered.filter(u => !/^https:\/\/registry\.npmjs\.org\/[^/]+$/.test(u));
        assert.deepEqual(other, []);
    });

    it('reports no error and no warning except those only publishing clears', () => {
        assert.deepEqual(result.blocking, []);
    });

    it('still reports what only publishing clears (the offline answers are those of an unpublished repository)', () => {
        const seen = new Set(result.clearedByPublishing.map(codeOf));
        for (const code of ['E2000', 'W3031', 'W4001', 'E8001', 'E8002']) {
            assert.ok(seen.has(code), `${code} (${CLEARED_BY_PUBLISHING[code]}) expected`);
        }
    });

    it('every exception for a rule that is wrong here still occurs (else it is stale)', () => {
        for (const w of WRONG_FOR_THIS_ADAPTER) {
            assert.ok(result.wrongForThisAdapter.includes(w.message), `not reported any more: ${w.message}`);
        }
    });
});
