'use strict';
// The tab's map, chat, theme, admin shell and reconnect, against the shared captures.
// Part of test/ui/tab.test.js, which starts the demo and the browser once and passes them in `ui`.
/* global document, getComputedStyle -- used inside page.evaluate (runs in Chromium) */
const crypto = require('node:crypto');
const os = require('node:os');
const path = require('node:path');
const { expect } = require('chai');
const { sleep } = require('../lib/demo');
const { newPage } = require('../lib/browser');
const { INSTANCE, sel, note, openTab, countOf, search, shot, settledMap, luminance } = require('../lib/tab');
const {
    ROOT,
    impreciseVectorNodes,
    decodeChannelText,
    scalePackets,
    neighbourPairPackets,
    publishAsGateways,
} = require('../lib/mesh');

/** `ui`: { demo, dbs, listener, chromium, page, devices } of test/ui/tab.test.js, set in its before(). */
module.exports = function mapAndChatTests(ui) {
    it('the map shows every node with a position as a marker or inside a cluster', async function () {
        // Nodes with a position, from the states DB.
        const keys = (await ui.dbs.states.getKeys(`${INSTANCE}.nodes.*.position.latitude`)) || [];
        const vals = keys.length ? await ui.dbs.states.getStates(keys) : [];
        const positioned = keys.filter((k, i) => vals[i] && typeof vals[i].val === 'number').length;
        expect(positioned, 'nodes with a latitude in the states DB').to.be.greaterThan(0);

        await ui.page.click('button[data-view="map"]');
        await ui.page.waitForSelector(
            '#view-map:not([hidden]) #map .leaflet-container, #view-map:not([hidden]) #map.leaflet-container',
            {
                timeout: 10_000,
            },
        );
        expect(await ui.page.$eval('button[data-view="map"]', b => b.classList.contains('active'))).to.equal(true);
        expect(await ui.page.$eval('#view-nodes', v => v.hidden), '#view-nodes hidden on the map').to.equal(true);
        const m = await settledMap(ui.page);
        expect(m.count, 'data-count of the map vs. positioned nodes in the states DB').to.equal(positioned);
        expect(m.markers + m.clusters, 'markers and clusters drawn').to.be.greaterThan(0);
        expect(m.markers + m.clustered, `markers (${m.markers}) + nodes in clusters (${m.clustered})`).to.equal(
            m.count,
        );
        await shot(ui.page, 'tab-map.png');

        // Clicking a cluster zooms in until its nodes show as markers; nodes that send a reduced-precision
        // position (precision_bits < 32 in the captures) get a circle of that uncertainty.
        const imprecise = impreciseVectorNodes();
        expect(imprecise.length, 'captures with a reduced-precision position').to.be.greaterThan(0);
        let zoomed = m;
        for (let i = 0; i < 4 && zoomed.clusters > 0; i++) {
            const cluster = await ui.page.$('#map .marker-cluster');
            await cluster.click();
            zoomed = await settledMap(ui.page, 5000);
        }
        console.log(`      map after clicking the clusters: ${JSON.stringify(zoomed)}`);
        expect(zoomed.clusters, 'clusters left after clicking them').to.equal(0);
        expect(zoomed.markers, 'markers in view after zooming into the cluster').to.be.greaterThan(0);
        expect(
            zoomed.precision,
            `precision circles in view (!${imprecise.join(', !')} send reduced-precision positions)`,
        ).to.be.at.least(imprecise.length);
    });

    it('chat: a text sent to LongFast goes out over MQTT, encrypted with the channel key, and shows as sent', async function () {
        // The generated identity is kept in the adapter's own object (a node id set in the settings would win).
        const inst = await ui.dbs.objects.getObjectAsync(`system.adapter.${INSTANCE}`);
        const identity = await ui.dbs.objects.getObjectAsync(`${INSTANCE}.identity`);
        const ownId = String(inst.native.nodeId || (identity && identity.native.nodeId) || '');
        expect(ownId, "the adapter's virtual node id (meshtastic.0.identity)").to.match(/^!?[0-9a-f]{8}$/);
        const ownHex = ownId.replace('!', '');

        await ui.page.click('button[data-view="chat"]');
        await ui.page.waitForSelector('#view-chat:not([hidden])', { timeout: 5000 });
        const target = `${sel.chatTarget}[data-target="channel:LongFast"]`;
        await ui.page.waitForSelector(target, { timeout: 10_000 });
        await ui.page.click(target);
        await ui.page.waitForSelector(`${sel.chatInput}:not([disabled])`, { timeout: 10_000 });
        const text = `UI test ${crypto.randomBytes(4).toString('hex')} ✓`;
        const started = Date.now();
        await ui.page.type(sel.chatInput, text);
        await ui.page.click(sel.chatSend);

        const sent = await ui.listener.waitFor(
            m => {
                if (!m.topic.startsWith(`${ROOT}/2/e/LongFast/`) || m.at < started) {
                    return undefined;
                }
                const d = decodeChannelText(m);
                return d && d.portnum === 1 && d.text === text ? d : undefined;
            },
            15_000,
            `with the text ${JSON.stringify(text)} on ${ROOT}/2/e/LongFast/#`,
        );
        note('chat: click → packet on MQTT', Date.now() - started);
        expect(sent.topic).to.equal(`${ROOT}/2/e/LongFast/!${ownHex}`);
        expect(sent.gatewayId).to.equal(`!${ownHex}`);
        expect(sent.channelId).to.equal('LongFast');
        expect(sent.from.toString(16).padStart(8, '0')).to.equal(ownHex);
        expect(sent.to).to.equal(0xffffffff);

        const status = await ui.page
            .waitForFunction(
                (s, t) => {
                    const own = [...document.querySelectorAll(s)].filter(
                        m => m.classList.contains('own') && m.textContent.includes(t),
                    );
                    const st = own.map(m => m.dataset.status);
                    return st.find(x => x === 'sent' || x === 'acked') || false;
                },
                { timeout: 10_000 },
                sel.chatMessage,
                text,
            )
            .then(h => h.jsonValue())
            .catch(async () => {
                const own = await ui.page.$$eval(
                    sel.chatMessage,
                    (ms, t) =>
                        ms.filter(m => m.textContent.includes(t)).map(m => `${m.className} status=${m.dataset.status}`),
                    text,
                );
                throw new Error(`the own message never showed data-status sent/acked: ${JSON.stringify(own)}`);
            });
        note('chat: click → status shown', Date.now() - started);
        expect(status).to.be.oneOf(['sent', 'acked']);
        await shot(ui.page, 'tab-chat.png');
    });

    it('dark theme: react=dark gives body.theme-dark on a dark background', async function () {
        const dark = await openTab(ui.chromium.browser, ui.demo, 'dark');
        try {
            const look = await dark.evaluate(() => ({
                cls: [...document.body.classList],
                bg: getComputedStyle(document.body).backgroundColor,
                fg: getComputedStyle(document.body).color,
            }));
            expect(look.cls).to.include('theme-dark');
            expect(look.cls).to.not.include('theme-light');
            expect(luminance(look.bg), `body background ${look.bg}`).to.be.below(0.1);
            expect(luminance(look.fg), `text colour ${look.fg} on ${look.bg}`).to.be.above(0.4);
            const light = await ui.page.evaluate(() => ({
                cls: [...document.body.classList],
                bg: getComputedStyle(document.body).backgroundColor,
            }));
            expect(light.cls).to.include('theme-light');
            expect(luminance(light.bg), `light body background ${light.bg}`).to.be.above(0.6);
            await dark.waitForSelector(sel.row, { timeout: 5000 });
            await shot(dark, 'tab-nodes-dark.png');
        } finally {
            await dark.close();
        }
    });

    it("inside admin's shell (#tab-meshtastic-0) the tab loads in an iframe and gets its data", async function () {
        this.timeout(60_000);
        const shell = await newPage(ui.chromium.browser);
        try {
            await shell.goto(`${ui.demo.adminUrl}/#tab-meshtastic-0`, {
                waitUntil: 'domcontentloaded',
                timeout: 30_000,
            });
            const frameEl = await shell
                .waitForSelector('iframe[src*="adapter/meshtastic/tab.html"]', { timeout: 40_000 })
                .catch(async e => {
                    await shell.screenshot({
                        path: path.join(os.tmpdir(), 'meshtastic-ui-admin-shell-failure.png'),
                    });
                    const frames = await shell.$$eval('iframe', fs => fs.map(f => f.src));
                    throw new Error(`no tab iframe in admin (iframes: ${JSON.stringify(frames)}): ${e.message}`);
                });
            const src = await frameEl.evaluate(f => f.src);
            expect(src).to.include('adapter/meshtastic/tab.html');
            const frame = await frameEl.contentFrame();
            await frame.waitForSelector(sel.ready, { timeout: 30_000 });
            await frame.waitForSelector(sel.row, { timeout: 10_000 });
            const shown = await frame.$eval(sel.count, el => Number(el.dataset.total));
            expect(shown, 'nodes in the tab inside admin').to.be.at.least(ui.devices.size);
            await sleep(500);
            await shot(shell, 'admin-tab.png');
        } finally {
            await shell.close();
        }
    });

    it('the map draws neighbour links between positioned neighbours when asked to', async function () {
        // Two new nodes far from everything, reporting each other as neighbours, published while the map shows.
        const pair = neighbourPairPackets(0x1ce1a000, [
            { name: 'UI neighbour Iceland', lat: 64.13, lon: -21.9 },
            { name: 'UI neighbour Svalbard', lat: 78.22, lon: 15.65 },
        ]);
        await ui.page.click('button[data-view="map"]');
        const before = await settledMap(ui.page, 5000);
        // Back to the whole world (zoom out: the minus button of the map), as a user would.
        for (let i = 0; i < 8; i++) {
            const out = await ui.page.$('#map .leaflet-control-zoom-out:not(.leaflet-disabled)');
            if (!out) {
                break;
            }
            await out.click();
            await sleep(150);
        }
        await publishAsGateways(ui.demo.opts.mqttPort, pair.packets, pair.gateways);
        await ui.page.waitForFunction(
            (s, n) => Number(document.querySelector(s).dataset.count) >= n,
            { timeout: 15_000 },
            sel.mapCount,
            before.count + 2,
        );
        const toggle = 'input[data-testid="neighbors-toggle"]';
        if (!(await ui.page.$eval(toggle, el => el.checked))) {
            await ui.page.click(toggle);
        }
        const withLinks = await settledMap(ui.page, 5000);
        console.log(`      map with neighbour links on: ${JSON.stringify(withLinks)}`);
        expect(withLinks.count, 'map data-count with the two new nodes').to.equal(before.count + 2);
        expect(withLinks.links, '.neighbor-link lines between the two neighbours').to.be.greaterThan(0);
        await ui.page.click(toggle);
        const without = await settledMap(ui.page, 5000);
        expect(without.links, 'neighbour links after switching them off').to.equal(0);
    });

    it('reconnects after admin crashes and restarts, and shows data that arrived afterwards', async function () {
        this.timeout(150_000);
        await ui.page.click('button[data-view="nodes"]');
        expect(await ui.page.$eval(sel.app, el => el.dataset.connected)).to.equal('true');
        const pids = ui.demo.instancePids('admin.0');
        if (pids.length !== 1) {
            // Pending with the reason in the output (mocha's skip takes none).
            console.log(
                `      SKIPPED: admin.0's process is not among js-controller's children (${JSON.stringify(pids)})`,
            );
            this.skip();
        }
        const before = (await countOf(ui.page)).total;
        const t = Date.now();
        process.kill(pids[0], 'SIGKILL');
        await ui.page.waitForSelector('#app[data-connected="false"]', { timeout: 20_000 });
        note('admin killed → tab shows disconnected', Date.now() - t);
        // js-controller restarts a crashed instance after 30 s.
        await ui.page.waitForSelector('#app[data-connected="true"]', { timeout: 120_000 });
        note('admin killed → tab connected again', Date.now() - t);

        // A node never heard before, published after the reconnect, must show up.
        const probe = scalePackets(1, 0x0ddba11, 'UI reconnect probe');
        const node = probe.nodes[0];
        await publishAsGateways(ui.demo.opts.mqttPort, probe.packets, probe.gateways);
        const t2 = Date.now();
        // The probe and its (simulated) gateway are new nodes.
        await ui.page.waitForFunction(
            (s, n) => Number(document.querySelector(s).dataset.total) >= n,
            { timeout: 20_000 },
            sel.count,
            before + 1,
        );
        note('packet after reconnect → node count updated', Date.now() - t2);
        await search(ui.page, node.hex.slice(-4));
        await ui.page.waitForSelector(`${sel.row}[data-node="${node.hex}"]`, { timeout: 5000 });
        expect(await ui.page.$eval(`${sel.row}[data-node="${node.hex}"]`, r => r.textContent)).to.include(
            node.longName,
        );
        await search(ui.page, '');
        expect(await ui.page.$eval(sel.app, el => el.dataset.state)).to.equal('ready');
    });
};
