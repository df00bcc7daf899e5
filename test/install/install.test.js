'use strict';
/**
 * `npm run test:install`: the adapter installed and upgraded the way users get it, from an ioBroker repository and
 * an npm registry, into a fresh js-controller + admin.
 *
 * - The previous commit (`git archive`, INSTALL_PREV_REF, default HEAD~1) and this tree are packed with `npm pack`
 *   as 0.1.0-prev.g<sha> and the package.json version, so js-controller sees an upgrade.
 * - A local npm registry on 127.0.0.1 (lib/registry.js) serves both tarballs and proxies every other package to the
 *   upstream registry; it also serves the custom ioBroker repository JSON. js-controller is pointed at both the
 *   way a user would: system.config activeRepo + system.repositories, and the npm registry in .npmrc.
 * - `iobroker install meshtastic` (js-controller resolves it in the repository and runs npm against the registry),
 *   `iobroker add`, start: info.connection true, the virtual node's id from the adapter itself (sendTo tabPoll).
 * - The repository then lists the current version: `iobroker upgrade meshtastic`; the instance runs the new version,
 *   its objects and the virtual node id are unchanged.
 *
 * Downloads are cached like tools/demo.js (work dir under os.tmpdir(), base install reused when the versions match).
 * Ports (all 127.0.0.1): objects 37001, states 37000, admin 37081, MQTT broker 37883, registry: a free one.
 */
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { expect } = require('chai');
const { startRegistry } = require('./lib/registry');
const ioBroker = require('./lib/iobroker');
const mqtt = require('mqtt');

const REPO = path.resolve(__dirname, '..', '..');
const INSTANCE = 'meshtastic.0';
const PREV_REF = process.env.INSTALL_PREV_REF || 'HEAD~1';

/** In broker mode info.connection is true while a gateway is connected: one like a Meshtastic gateway would be. */
async function withGateway(iob, fn) {
    const client = await mqtt.connectAsync({
        host: '127.0.0.1',
        port: ioBroker.PORTS.mqtt,
        clientId: 'install-test-gateway',
        reconnectPeriod: 0,
    });
    try {
        return await fn();
    } finally {
        await client.endAsync(true);
    }
}

const log = msg => console.log(`      [install] ${msg}`);

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
        env: ioBroker.childEnv(),
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
    for (const entry of ['package.json', 'io-package.json', 'LICENSE', 'README.md', 'build', 'admin']) {
        fs.cpSync(path.join(REPO, entry), path.join(src, entry), { recursive: true });
    }
    const version = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;
    const file = pack(src, out, version);
    fs.rmSync(src, { recursive: true, force: true });
    return { file, version };
}

const ownObjectIds = async iob =>
    Object.keys(
        await iob.objects
            .getObjectListAsync({ startkey: `${INSTANCE}.`, endkey: `${INSTANCE}.\u9999` })
            .then(r => Object.fromEntries(r.rows.map(row => [row.id, true]))),
    ).sort();

describe('installed as users install it (repository + npm registry → js-controller)', function () {
    this.timeout(15 * 60_000);
    const dir = path.join(
        os.tmpdir(),
        `iobroker.meshtastic-install-${crypto.createHash('sha1').update(REPO).digest('hex').slice(0, 8)}`,
    );
    let registry;
    let iob;
    let prev;
    let current;
    const seen = {};

    before(async function () {
        const t0 = Date.now();
        const packs = path.join(dir, 'packs');
        fs.rmSync(packs, { recursive: true, force: true });
        fs.mkdirSync(packs, { recursive: true });
        prev = packRef(PREV_REF, packs);
        current = packCurrent(packs);
        log(`packed ${PREV_REF} (${prev.sha}) as ${prev.version} and this tree as ${current.version}`);
        registry = await startRegistry({
            upstream: execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8', cwd: REPO }).trim(),
            ioPackage: JSON.parse(fs.readFileSync(path.join(REPO, 'io-package.json'), 'utf8')),
            tarballs: [prev, current],
        });
        registry.list(prev.version);
        log(`registry and repository on ${registry.url}`);
        iob = await ioBroker.prepare({ dir, registryUrl: registry.url, repoUrl: `${registry.url}repo.json`, log });
        await iob.startController();
        log(`js-controller running (${Math.round((Date.now() - t0) / 1000)} s so far)`);
    });

    after(async function () {
        await iob?.stop();
        await registry?.close();
    });

    it("admin's Adapters tab lists the adapter from the custom repository", async function () {
        const { launch, newPage } = require('../ui/lib/browser');
        const chrome = await launch();
        try {
            // admin.0 starts with the controller: until its web server answers.
            for (let i = 0; i < 120; i++) {
                const ok = await fetch(iob.adminUrl).then(
                    r => r.ok,
                    () => false,
                );
                if (ok) {
                    break;
                }
                await new Promise(resolve => setTimeout(resolve, 500));
            }
            const page = await newPage(chrome.browser);
            await page.goto(`${iob.adminUrl}#tab-adapters`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
            // The list is built from the active repository (ours): the version it offers is only there.
            const desc = prev.version;
            await page
                .waitForFunction(
                    d => /Meshtastic/.test(document.body.innerText) && document.body.innerText.includes(d),
                    { timeout: 60_000 },
                    desc,
                )
                .catch(async e => {
                    await page.screenshot({ path: path.join(dir, 'adapters-tab-failed.png') });
                    const text = await page.evaluate(() => document.body.innerText);
                    throw new Error(
                        `${e.message}; page (screenshot ${dir}/adapters-tab-failed.png):\n${text.slice(0, 1500)}`,
                    );
                });
            // docs/ only on request (UI_SCREENSHOTS=1, as test:ui): the shown version changes with every commit.
            const shots = process.env.UI_SCREENSHOTS === '1' ? path.join(REPO, 'docs', 'screenshots') : dir;
            await page.screenshot({ path: path.join(shots, 'install-adapters-tab.png') });
        } finally {
            await chrome.close();
        }
    });

    it('installs the previous version from the repository through the npm registry', async function () {
        const out = await iob.cli(['install', 'meshtastic']);
        const installed = iob.installedVersion();
        expect(installed, out).to.equal(prev.version);
        expect(registry.downloads, 'the adapter tarball came from the local registry').to.include(prev.version);
        await iob.cli(['add', 'meshtastic', '--enabled', 'false']);
        await iob.configureInstance(INSTANCE);
    });

    it('its instance starts, creates info.connection and reports its virtual node', async function () {
        await iob.waitRunning(INSTANCE, prev.version);
        expect(await iob.objects.getObjectAsync(`${INSTANCE}.info.connection`), 'info.connection object').to.be.an(
            'object',
        );
        await withGateway(iob, () => iob.waitState(`${INSTANCE}.info.connection`, true));
        seen.own = (await iob.sendTo(INSTANCE, 'tabPoll', { since: 0, epoch: 0 })).own;
        expect(seen.own && seen.own.id, 'virtual node id').to.match(/^![0-9a-f]{8}$/);
        seen.objects = await ownObjectIds(iob);
        expect(seen.objects).to.include.members([`${INSTANCE}.info`, `${INSTANCE}.info.connection`]);
        log(`${prev.version} runs: node ${seen.own.id}, ${seen.objects.length} objects`);
    });

    it('upgrades to the current version; objects and the virtual node survive', async function () {
        expect(seen.own, 'the previous step ran').to.be.an('object');
        registry.list(current.version);
        // As admin's "check for updates": js-controller re-reads the repository (it keeps the last copy otherwise).
        const update = await iob.cli(['update']);
        const out = await iob.cli(['upgrade', 'meshtastic', '--yes']);
        expect(iob.installedVersion(), `${update}\n${out}`).to.equal(current.version);
        expect(registry.downloads).to.include(current.version);
        await iob.waitRunning(INSTANCE, current.version);
        await withGateway(iob, () => iob.waitState(`${INSTANCE}.info.connection`, true));
        const own = (await iob.sendTo(INSTANCE, 'tabPoll', { since: 0, epoch: 0 })).own;
        expect(own && own.id, 'virtual node id after the upgrade').to.equal(seen.own.id);
        const after = await ownObjectIds(iob);
        expect(after, 'objects after the upgrade').to.include.members(seen.objects);
        log(`${current.version} runs: node ${own.id}, ${after.length} objects`);
    });
});
