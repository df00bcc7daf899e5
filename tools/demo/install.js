'use strict';
// The demo's ioBroker installation: the adapter npm-packed from the repo, then js-controller, admin and the package
// installed into the work dir (`npm install --omit=dev`) and initialised (`iobroker setup first`). Reinstalls only
// what changed: the versions (a new installation) or the adapter package (its content hash).
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { log, warn, sleep, DemoError } = require('./log');
const { REPO } = require('./options');
const { readJson, writeJson } = require('./files');
const { npm, iobroker } = require('./processes');
const { systemConfig } = require('./system-config');

const DEMO_PACKAGE = 'iobroker-meshtastic-demo';
/** Entries of the work dir that survive a new installation (they are made before it). */
const KEPT = ['adapter.tgz', 'pack'];

/** Builds the adapter when needed and packs it; resolves with the tarball (copied to `<dir>/adapter.tgz`). */
async function buildAndPack({ opts, dirs, dir }) {
    for (const f of ['package.json', 'io-package.json']) {
        if (!fs.existsSync(path.join(REPO, f))) {
            throw new DemoError(`${f} is missing in ${REPO}: the adapter cannot be installed`);
        }
    }
    if (opts.rebuild || !fs.existsSync(path.join(REPO, 'build', 'main.js'))) {
        log(
            opts.rebuild
                ? 'building the adapter (npm run build)'
                : 'build/main.js is missing: building the adapter (npm run build)',
        );
        await npm(['run', 'build'], { cwd: REPO, echo: true });
    }
    const main = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).main || 'build/main.js';
    let produced;
    for (let attempt = 1; ; attempt++) {
        fs.rmSync(dirs.pack, { recursive: true, force: true });
        fs.mkdirSync(dirs.pack, { recursive: true });
        log('packing the adapter (npm pack)');
        const { output, stdout } = await npm(['pack', '--json', '--pack-destination', dirs.pack], { cwd: REPO });
        produced = fs.readdirSync(dirs.pack).filter(f => f.endsWith('.tgz'));
        if (produced.length !== 1) {
            throw new DemoError(`npm pack produced ${produced.length} tarballs: ${output.slice(-500)}`);
        }
        // The package must hold its start file: a build running at the same time (rimraf build && tsc) can empty
        // build/ just while npm packs.
        let files = [];
        try {
            const json = JSON.parse(stdout);
            files = (json[0].files || []).map(f => f.path);
        } catch {
            files = [main];
        }
        if (files.includes(path.posix.normalize(main))) {
            break;
        }
        if (attempt >= 3) {
            throw new DemoError(`the packed adapter has no ${main}: run \`npm run build\` (is another build running?)`);
        }
        warn(`the packed adapter has no ${main} (a build running at the same time?): packing again in 5 s`);
        await sleep(5000);
    }
    const tgz = path.join(dirs.pack, produced[0]);
    const sha = crypto.createHash('sha256').update(fs.readFileSync(tgz)).digest('hex');
    // A stable name in the work dir; the content hash decides whether to reinstall.
    const target = path.join(dir, 'adapter.tgz');
    fs.copyFileSync(tgz, target);
    return { file: target, sha, name: produced[0] };
}

/** The work dir is wiped on a new installation: never touch a directory that is not ours. */
function assertDemoDir({ dir, files }) {
    if (!fs.existsSync(dir)) {
        return;
    }
    const entries = fs.readdirSync(dir);
    const ours =
        entries.length === 0 ||
        fs.existsSync(files.state) ||
        readJson(files.packageJson, {}).name === DEMO_PACKAGE ||
        entries.every(e => KEPT.includes(e));
    if (!ours) {
        throw new DemoError(`${dir} is not empty and not a demo work dir: choose another DEMO_DIR`);
    }
}

/** What an installation was made from; a change means reinstalling that part. */
const installKey = opts =>
    JSON.stringify({ controller: opts.controllerVersion, admin: opts.adminVersion, node: process.versions.modules });

const NPM_INSTALL = ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];

/** Installs or updates the work dir; resolves true for a new installation. */
async function install(ctx, adapterTgz) {
    const { opts, dirs, files, dir } = ctx;
    const state = readJson(files.state, {});
    const fresh =
        opts.reinstall ||
        state.installKey !== installKey(opts) ||
        !fs.existsSync(dirs.controller) ||
        !fs.existsSync(path.join(dirs.snapshots, 'base', 'objects.jsonl'));
    if (fresh) {
        if (fs.existsSync(dir)) {
            log(`new installation: clearing ${dir}`);
            for (const entry of fs.readdirSync(dir)) {
                if (!KEPT.includes(entry)) {
                    fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
                }
            }
        }
        writeJson(files.packageJson, {
            name: DEMO_PACKAGE,
            version: '1.0.0',
            private: true,
            description: 'work dir of `npm run demo` (ioBroker.meshtastic); safe to delete',
            dependencies: {
                'iobroker.js-controller': opts.controllerVersion,
                'iobroker.admin': opts.adminVersion,
                'iobroker.meshtastic': 'file:adapter.tgz',
            },
        });
        // As @iobroker/testing and real installations do.
        fs.writeFileSync(path.join(dir, '.npmrc'), 'engine-strict=true\n');
        // Written first: `setup first` keeps an existing config, so the databases use the demo ports from the start.
        systemConfig(ctx);
        log(
            `installing js-controller ${opts.controllerVersion}, admin ${opts.adminVersion} and the adapter into ` +
                `${dir} (npm install --omit=dev; about 1 min with a warm npm cache)`,
        );
        // --ignore-scripts: the only install script that matters is js-controller's `setup first`, run below with a
        // short DB timeout; the others build optional native modules (diskusage, unix-dgram, cpu-features) that
        // js-controller and admin load only if present, and would cost a minute of node-gyp.
        await npm(NPM_INSTALL, { cwd: dir });
        log('initialising ioBroker (iobroker setup first: databases, host, admin.0, admin files)');
        await iobroker(dirs.controller, ['setup', 'first', '--timeout', '1000']);
        writeJson(files.state, { installKey: installKey(opts), adapterSha: adapterTgz.sha });
    } else if (state.adapterSha !== adapterTgz.sha) {
        log('the adapter changed: installing the new package (npm install adapter.tgz)');
        systemConfig(ctx);
        await npm([...NPM_INSTALL, './adapter.tgz'], { cwd: dir });
        writeJson(files.state, { ...state, adapterSha: adapterTgz.sha, ready: undefined });
    } else {
        systemConfig(ctx);
        log(`installation is up to date (${dir})`);
    }
    return fresh;
}

module.exports = { buildAndPack, assertDemoDir, install };
