'use strict';
// The adapter packed as npm publishes it: a commit of this repository (git archive) or the working tree, with the
// version written into package.json and io-package.json first.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { childEnv } = require('./iobroker');

const REPO = path.resolve(__dirname, '..', '..', '..');

/** `npm pack` of `dir` into `out` with `version` written into package.json and io-package.json first. */
function pack(dir, out, version) {
    for (const f of ['package.json', 'io-package.json']) {
        const file = path.join(dir, f);
        const json = JSON.parse(fs.readFileSync(file, 'utf8'));
        if (f === 'package.json') {
            json.version = version;
        } else {
            json.common.version = version;
        }
        fs.writeFileSync(file, `${JSON.stringify(json, null, 4)}\n`);
    }
    const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], {
        cwd: dir,
        encoding: 'utf8',
        env: childEnv(),
    })
        .trim()
        .split('\n')
        .pop();
    return path.join(out, name);
}

/** The tree `ref` of this repository, packed (build/ is committed, so no build). */
function packRef(ref, out) {
    const git = args =>
        execFileSync('git', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    let sha;
    try {
        sha = git(['rev-parse', '--short', `${ref}^{commit}`]);
    } catch (error) {
        // A depth-1 CI checkout has no previous commit: the upgrade then runs from HEAD packed as a pre-release,
        // which still exercises the upgrade path (objects and identity must survive), and says so.
        if (git(['rev-parse', '--is-shallow-repository']) !== 'true') {
            throw error;
        }
        sha = git(['rev-parse', '--short', 'HEAD']);
        console.log(`    (shallow checkout: ${ref} is not available, the "previous" package is HEAD ${sha})`);
    }
    const src = path.join(out, `src-${sha}`);
    fs.rmSync(src, { recursive: true, force: true });
    fs.mkdirSync(src, { recursive: true });
    execFileSync('bash', ['-c', `git archive --format=tar ${sha} | tar -x -C '${src}'`], { cwd: REPO });
    const base = JSON.parse(fs.readFileSync(path.join(src, 'package.json'), 'utf8')).version.replace(/-.*$/, '');
    const version = `${base}-prev.g${sha}`;
    const file = pack(src, out, version);
    fs.rmSync(src, { recursive: true, force: true });
    return { file, version, sha };
}

/** This working tree, packed from a copy of its package files (the version of package.json). */
function packCurrent(out) {
    const src = path.join(out, 'src-current');
    fs.rmSync(src, { recursive: true, force: true });
    fs.mkdirSync(src, { recursive: true });
    for (const entry of ['package.json', 'io-package.json', 'LICENSE', 'COPYING', 'README.md', 'build', 'admin'].filter(
        e => fs.existsSync(path.join(REPO, e)),
    )) {
        fs.cpSync(path.join(REPO, entry), path.join(src, entry), { recursive: true });
    }
    const version = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;
    const file = pack(src, out, version);
    fs.rmSync(src, { recursive: true, force: true });
    return { file, version };
}

module.exports = { packRef, packCurrent, REPO };
