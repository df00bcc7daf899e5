'use strict';
/*
 * Runs the official @iobroker/repochecker (pinned in devDependencies) on this repository without network access:
 * offline-services.js answers its requests from the git tree and the snapshots. The checker runs in its normal
 * (GitHub) mode, where the file list is the tracked tree; its --local mode walks the disk and reports ignored files.
 *
 *   node test/repochecker/run.js          the checker's report, then the verdict; exit code 1 on a finding
 *   node test/repochecker/run.js --json   one JSON line {errors, warnings, suggestions, unanswered, ...}
 */
const path = require('node:path');
const axios = require(require.resolve('axios', { paths: [require.resolve('@iobroker/repochecker')] }));
const { createServices } = require('./offline-services');

const ROOT = path.join(__dirname, '..', '..');

/**
 * Findings that only publishing clears: the checker asks npm, the ioBroker repository lists, GitHub Actions and
 * GitHub releases, tags and repository settings about a package and a repository that do not exist there yet.
 * Code → why it cannot be cleared from the tree.
 */
const CLEARED_BY_PUBLISHING = {
    E2000: 'not on npm before the first release',
    W3031: 'no workflow run before the repository is pushed',
    W4001: 'not in the latest repository list until the adapter is added to ioBroker.repositories',
    E8001: 'GitHub "About" text: a repository setting, set when the repository is created',
    E8002: 'GitHub topics: a repository setting, set when the repository is created',
    S8005: 'no GitHub release before the first release',
};

/**
 * Findings where the checker's rule is wrong for this adapter, each matched by its full text (a new file or package
 * in the same rule still fails) and explained in README.md ("The official repository checker").
 */
const WRONG_FOR_THIS_ADAPTER = [
    {
        message:
            '[E5005] Plain setTimeout() found in source files (src/test-support/fake-adapter.ts). Please use this.setTimeout() or adapter.setTimeout() instead.',
        why: 'the fake adapter of the colocated unit tests provides this.setTimeout with a Node timer; not built or packaged',
    },
    {
        message:
            '[W5060] Package "@meshtastic/protobufs" is listed in dependencies of package.json but not imported or required by any scanned source file. Dependency might be unused.',
        why: 'imported by src/lib/codec/*.ts; the checker takes the tsconfig "paths" entry that maps the package to its generated types for a local alias',
    },
];

const codeOf = msg => (/^\[([EWS]\d{4})\]/.exec(msg) || [])[1] || '?';

/** @returns {Promise<object>} the checker's result plus the offline bookkeeping */
async function runChecker() {
    const pkg = require(path.join(ROOT, 'package.json'));
    const repository = /github\.com\/([^/]+\/[^/]+?)(\.git)?$/.exec(pkg.repository.url)[1];
    const services = createServices({ root: ROOT, repository, branch: 'main' });
    axios.defaults.adapter = services.adapter;
    const checker = require('@iobroker/repochecker');
    const body = await new Promise(resolve =>
        checker.handler({ queryStringParameters: { url: `https://github.com/${repository}` } }, null, (_e, res) =>
            resolve(JSON.parse(res.body)),
        ),
    );
    const errors = body.errors.slice().sort();
    const warnings = body.warnings.filter(w => w.startsWith('[W')).sort();
    const suggestions = body.warnings.filter(w => w.startsWith('[S')).sort();
    const findings = [...errors, ...warnings];
    return {
        version: body.version,
        result: body.result,
        commit: body.lastCommitSha,
        errors,
        warnings,
        suggestions,
        blocking: findings.filter(
            m => !CLEARED_BY_PUBLISHING[codeOf(m)] && !WRONG_FOR_THIS_ADAPTER.some(w => w.message === m),
        ),
        wrongForThisAdapter: findings.filter(m => WRONG_FOR_THIS_ADAPTER.some(w => w.message === m)),
        clearedByPublishing: [...findings, ...suggestions].filter(m => CLEARED_BY_PUBLISHING[codeOf(m)]),
        unanswered: services.unanswered,
        requests: services.requested.length,
    };
}

if (require.main === module) {
    const json = process.argv.includes('--json');
    const log = console.log;
    if (json) {
        // the checker's progress lines would break the one-line JSON answer
        console.log = console.info = console.warn = console.error = () => {};
    }
    runChecker().then(
        r => {
            if (json) {
                log(JSON.stringify(r));
                return;
            }
            log(`\n== repochecker ${r.version} on ${r.commit} (offline, ${r.requests} requests answered locally)`);
            log(`blocking findings: ${r.blocking.length}`);
            r.blocking.forEach(m => log(`  ${m}`));
            log(`cleared by publishing: ${r.clearedByPublishing.map(codeOf).join(', ') || 'none'}`);
            log(`rule wrong for this adapter (README): ${r.wrongForThisAdapter.map(codeOf).join(', ') || 'none'}`);
            log(`suggestions: ${r.suggestions.map(codeOf).join(', ') || 'none'}`);
            // npm's newest version of each dependency (S0082/W0083) changes daily; the checker skips it offline
            if (r.unanswered.length) {
                log(`failed as offline: ${r.unanswered.join(', ')}`);
            }
            process.exitCode = r.blocking.length ? 1 : 0;
        },
        e => {
            log(e);
            process.exitCode = 2;
        },
    );
}

module.exports = { runChecker, CLEARED_BY_PUBLISHING, WRONG_FOR_THIS_ADAPTER, codeOf };
