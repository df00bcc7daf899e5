'use strict';
// The admin tab in a real browser against a real ioBroker: `tools/demo.js` starts js-controller, admin and this
// adapter (npm-packed from the repo) in broker mode and replays the shared real captures into the adapter's MQTT
// broker; headless Chromium (Debian package, puppeteer-core) opens the tab as admin serves it. What the tab shows is
// checked against what ioBroker holds (objects/states DB, read with js-controller's own clients) and what goes over
// MQTT (decrypted independently). The 10,000-node part runs last: the adapter then creates many objects.
//
// Env: UI_SCREENSHOTS=1 copies the screenshots (always written to <tmp>/meshtastic-ui-screenshots/) to
// docs/screenshots/; UI_VERBOSE=1 echoes the demo's output; UI_CHROMIUM=<path> another Chromium binary;
// UI_SKIP_SCALE=1 leaves out the 10,000-node part.
/* global document, requestAnimationFrame, getComputedStyle -- used inside page.evaluate (runs in Chromium) */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { expect } = require('chai');
const { Demo, nodeDevices, REPO, sleep } = require('./lib/demo');
const { launch, newPage } = require('./lib/browser');
const {
    ROOT,
    Listener,
    namedVectorNodes,
    impreciseVectorNodes,
    decodeChannelText,
    scalePackets,
    neighbourPairPackets,
    publishAsGateways,
} = require('./lib/mesh');

const INSTANCE = 'meshtastic.0';
const SCALE_NODES = 10_000;
/** Hex ids of the simulated nodes: 5ca1e000 … 5ca2070f, apart from every node of the captures. */
const SCALE_BASE = 0x5ca1e000;
const SHOTS_TMP = path.join(os.tmpdir(), 'meshtastic-ui-screenshots');
const SHOTS_REPO = path.join(REPO, 'docs', 'screenshots');

const sel = {
    app: '#app',
    ready: '#app[data-state="ready"]',
    count: '[data-testid="node-count"]',
    row: '[data-testid="node-row"]',
    search: 'input[data-testid="search"]',
    scroll: '[data-testid="node-scroll"]',
    details: '[data-testid="node-details"]',
    detailsClose: '[data-testid="details-close"]',
    mapCount: '[data-testid="map-count"]',
    chatTarget: '[data-testid="chat-target"]',
    chatMessage: '[data-testid="chat-message"]',
    chatInput: '[data-testid="chat-input"]',
    chatSend: '[data-testid="chat-send"]',
};

const timings = {};
const note = (key, ms) => {
    timings[key] = ms;
    console.log(`      ⏱ ${key}: ${typeof ms === 'number' ? `${Math.round(ms)} ms` : ms}`);
};

function tabUrl(demo, theme = 'light') {
    return `${demo.adminUrl}/adapter/meshtastic/tab.html?0&instance=0&newReact=true&0&react=${theme}`;
}

async function openTab(browser, demo, theme = 'light') {
    const page = await newPage(browser);
    const started = Date.now();
    await page.goto(tabUrl(demo, theme), { waitUntil: 'domcontentloaded', timeout: 30_000 });
    await page.waitForSelector(sel.ready, { timeout: 30_000 }).catch(async e => {
        const state = await page
            .$eval(sel.app, el => ({ ...el.dataset, text: el.textContent.slice(0, 300) }))
            .catch(() => null);
        throw new Error(
            `#app never reached data-state="ready" (now ${JSON.stringify(state)}); ${page.problems.join('; ')}: ${e.message}`,
        );
    });
    page.readyMs = Date.now() - started;
    return page;
}

const countOf = page =>
    page.$eval(sel.count, el => ({
        count: Number(el.dataset.count),
        total: Number(el.dataset.total),
        text: el.textContent,
    }));

const domRows = page =>
    page.$$eval(sel.row, rows =>
        rows.map(r => ({ hex: r.dataset.node, presence: r.dataset.presence, text: r.textContent })),
    );

/** Rows in the order the user sees them (top to bottom by position on screen). */
const visibleRows = page =>
    page.$$eval(sel.row, rows => {
        const box = document.querySelector('[data-testid="node-scroll"]').getBoundingClientRect();
        return rows
            .map(r => ({ hex: r.dataset.node, text: r.textContent, rect: r.getBoundingClientRect() }))
            .filter(r => r.rect.bottom > box.top + 1 && r.rect.top < box.bottom - 1)
            .sort((a, b) => a.rect.top - b.rect.top)
            .map(r => ({ hex: r.hex, text: r.text, top: r.rect.top, bottom: r.rect.bottom }));
    });

/** Scrolls the table from top to bottom like a user would and collects every row seen. */
async function collectAllRows(page) {
    const seen = new Map();
    await page.$eval(sel.scroll, el => {
        el.scrollTop = 0;
    });
    for (let guard = 0; guard < 2000; guard++) {
        await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
        for (const row of await domRows(page)) {
            seen.set(row.hex, row);
        }
        const atEnd = await page.$eval(sel.scroll, el => {
            if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) {
                return true;
            }
            el.scrollTop += Math.max(50, Math.floor(el.clientHeight * 0.8));
            return false;
        });
        if (atEnd) {
            break;
        }
    }
    await page.$eval(sel.scroll, el => {
        el.scrollTop = 0;
    });
    return seen;
}

/** Types into the search box (real key presses); an empty string clears it. */
async function search(page, text) {
    await page.click(sel.search);
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyA');
    await page.keyboard.up('Control');
    await page.keyboard.press('Backspace');
    if (text) {
        await page.keyboard.type(text);
    }
}

async function shot(page, name) {
    fs.mkdirSync(SHOTS_TMP, { recursive: true });
    const file = path.join(SHOTS_TMP, name);
    await page.screenshot({ path: file });
    if (process.env.UI_SCREENSHOTS === '1') {
        fs.mkdirSync(SHOTS_REPO, { recursive: true });
        fs.copyFileSync(file, path.join(SHOTS_REPO, name));
    }
}

/** Waits until the map has drawn its markers and clusters and nothing changes for a moment. */
async function settledMap(page, timeoutMs = 20_000) {
    const end = Date.now() + timeoutMs;
    let last = '';
    let stable = 0;
    for (;;) {
        const m = await page.evaluate(() => {
            const map = document.querySelector('#map');
            const box = map.getBoundingClientRect();
            const inView = el => {
                const r = el.getBoundingClientRect();
                return r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom;
            };
            const markers = [...map.querySelectorAll('.node-marker')].filter(inView);
            const clusters = [...map.querySelectorAll('.marker-cluster')].filter(inView);
            return {
                markers: markers.length,
                clusters: clusters.length,
                clustered: clusters.reduce((sum, c) => sum + (Number(c.textContent.trim()) || 0), 0),
                precision: map.querySelectorAll('.precision-circle').length,
                links: map.querySelectorAll('.neighbor-link').length,
                count: Number(document.querySelector('[data-testid="map-count"]').dataset.count),
            };
        });
        const sig = JSON.stringify(m);
        stable = sig === last ? stable + 1 : 0;
        last = sig;
        if ((stable >= 3 && m.markers + m.clusters > 0) || Date.now() > end) {
            return m;
        }
        await sleep(250);
    }
}

/** Relative luminance (0 black … 1 white) of a CSS `rgb()`/`rgba()` colour. */
function luminance(css) {
    const [r, g, b] = (css.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
    const lin = c => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

describe('admin tab in a real browser (js-controller + admin + adapter, Chromium)', function () {
    // A cold first run installs js-controller and admin from npm (~90 s); a warm one starts in ~25 s.
    this.timeout(30_000);
    this.slow(10_000);

    let demo;
    let dbs;
    let listener;
    let chromium;
    let page;
    let devices;
    const suiteStarted = Date.now();

    before(async function () {
        this.timeout(400_000);
        chromium = await launch();
        demo = new Demo({ maxNodes: SCALE_NODES, intervalMs: 4000 });
        const t = Date.now();
        await demo.start();
        note('demo start-up (pack, install if needed, js-controller, admin, adapter, replay)', Date.now() - t);
        dbs = await demo.connectDbs();
        listener = await new Listener(demo.opts.mqttPort).connect();
    });

    after(async function () {
        this.timeout(120_000);
        for (const step of [
            () => page && page.close(),
            () => chromium && chromium.close(),
            () => listener && listener.close(),
            () => dbs && dbs.close(),
            () => demo && demo.stop(),
        ]) {
            try {
                await step();
            } catch (e) {
                console.warn(`      cleanup: ${e.message}`);
            }
        }
        note('whole UI suite', Date.now() - suiteStarted);
        console.log(`      timings: ${JSON.stringify(timings)}`);
        console.log(
            `      screenshots: ${SHOTS_TMP}${process.env.UI_SCREENSHOTS === '1' ? ` (copied to ${SHOTS_REPO})` : ''}`,
        );
    });

    describe('the mesh of the shared captures', function () {
        it('lists every node the adapter created, with the names the captures carry', async function () {
            this.timeout(90_000);
            page = await openTab(chromium.browser, demo);
            note('tab load → ready (captures)', page.readyMs);
            // The adapter creates node objects a moment after it decoded them: wait until both sides agree.
            let shown;
            const end = Date.now() + 45_000;
            for (;;) {
                devices = await nodeDevices(dbs.objects, INSTANCE);
                shown = await countOf(page);
                if (shown.total === devices.size && shown.count === devices.size && devices.size > 0) {
                    break;
                }
                if (Date.now() > end) {
                    break;
                }
                await sleep(500);
            }
            expect(devices.size, 'node devices in the objects DB').to.be.greaterThan(5);
            expect(shown.total, `node count shown (${shown.text}) vs. meshtastic.0.nodes.* devices`).to.equal(
                devices.size,
            );
            expect(shown.count, 'rows after the (empty) filter').to.equal(devices.size);

            const rows = await collectAllRows(page);
            expect([...rows.keys()].sort(), 'rows seen scrolling through the table').to.deep.equal(
                [...devices.keys()].sort(),
            );
            for (const row of rows.values()) {
                expect(row.presence, `presence of !${row.hex}`).to.be.oneOf(['mqtt', 'rf', 'offline']);
                expect(row.text, `row !${row.hex} shows the last 4 hex digits`).to.include(row.hex.slice(-4));
            }
            const named = namedVectorNodes();
            expect(named.length).to.be.greaterThan(3);
            const missing = [];
            for (const n of named) {
                const row = rows.get(n.hex);
                if (!row) {
                    missing.push(
                        `!${n.hex} "${n.longName}" (${n.vector}): no row (device in objects DB: ${devices.has(n.hex)})`,
                    );
                } else if (!row.text.includes(n.longName) || !row.text.includes(n.shortName)) {
                    missing.push(
                        `!${n.hex}: row "${row.text}" lacks "${n.longName}" / "${n.shortName}" (device name: "${devices.get(n.hex)}")`,
                    );
                }
            }
            expect(missing, 'named nodes of the captures').to.deep.equal([]);
            expect(page.problems, 'page errors').to.deep.equal([]);
            await shot(page, 'tab-nodes.png');
        });

        it('search narrows the rows to a long-name fragment or the last 4 hex digits; clearing restores them', async function () {
            const total = (await countOf(page)).total;
            const named = namedVectorNodes().filter(n => devices.has(n.hex));
            // Queries that match exactly one node, judged from the captures and the objects DB (not the tab).
            const known = [...devices.keys()].map(hex => ({
                hex,
                names: [devices.get(hex), ...named.filter(n => n.hex === hex).flatMap(n => [n.longName, n.shortName])]
                    .join(' ')
                    .toLowerCase(),
            }));
            const matchesOf = q =>
                known.filter(k => k.hex.includes(q) || k.names.includes(q.toLowerCase())).map(k => k.hex);
            const cases = [];
            for (const n of named) {
                const words = n.longName.split(/\s+/).filter(w => /^[\w.]{4,}$/.test(w));
                const fragment = words.length ? words[0].slice(1, 5) : undefined;
                if (fragment && matchesOf(fragment).length === 1 && cases.length < 2) {
                    cases.push({
                        q: fragment,
                        hex: n.hex,
                        what: `long-name fragment "${fragment}" of "${n.longName}"`,
                    });
                }
            }
            const byHex = [...devices.keys()].find(hex => matchesOf(hex.slice(-4)).length === 1);
            cases.push({ q: byHex.slice(-4), hex: byHex, what: `last 4 hex digits of !${byHex}` });
            expect(cases.length).to.be.at.least(2);
            for (const c of cases) {
                await search(page, c.q);
                await page
                    .waitForFunction(s => document.querySelector(s).dataset.count === '1', { timeout: 5000 }, sel.count)
                    .catch(() => {});
                const rows = await domRows(page);
                expect(
                    rows.map(r => r.hex),
                    c.what,
                ).to.deep.equal([c.hex]);
                expect((await countOf(page)).count, `count shown for ${c.what}`).to.equal(1);
            }
            await search(page, '');
            await page.waitForFunction(
                (s, n) => document.querySelector(s).dataset.count === String(n),
                { timeout: 5000 },
                sel.count,
                total,
            );
            expect((await countOf(page)).count).to.equal(total);
            expect((await domRows(page)).length).to.be.greaterThan(1);
        });

        it('no column header is cut off at 1,400 px', async function () {
            await page.setViewport({ width: 1400, height: 800 });
            try {
                await sleep(300);
                const cut = await page.$$eval('.table-head .cell', cells =>
                    cells.filter(c => c.scrollWidth > c.clientWidth).map(c => c.textContent),
                );
                expect(cut, 'truncated column headers').to.deep.equal([]);
            } finally {
                await page.setViewport({ width: 1280, height: 800 });
            }
        });

        it('sorting by name changes the order (ascending ↔ descending)', async function () {
            const header = '[data-sort="name"]';
            await page.click(header);
            const dir1 = await page.$eval(header, el => el.dataset.dir);
            const first1 = (await visibleRows(page))[0];
            await page.click(header);
            const dir2 = await page.$eval(header, el => el.dataset.dir);
            const first2 = (await visibleRows(page))[0];
            expect([dir1, dir2].sort(), 'data-dir of the name header after two clicks').to.deep.equal(['asc', 'desc']);
            expect(first1.hex, `first row by name ${dir1} vs ${dir2}`).to.not.equal(first2.hex);
            // The named nodes come in alphabetical order in the ascending list.
            if (dir2 !== 'asc') {
                await page.click(header);
            }
            const rows = await collectAllRows(page);
            const order = [...rows.keys()];
            const named = namedVectorNodes().filter(n => rows.has(n.hex) && /^[A-Za-z0-9]/.test(n.longName));
            const positions = named
                .sort((a, b) => a.longName.localeCompare(b.longName, 'en', { sensitivity: 'base' }))
                .map(n => order.indexOf(n.hex));
            expect(positions, `rows of ${named.map(n => n.longName).join(', ')} in ascending name order`).to.deep.equal(
                [...positions].sort((a, b) => a - b),
            );
        });

        it('opens the details of a node with its telemetry charts, and closes them', async function () {
            // A node with telemetry in the states DB (read independently of the tab).
            const keys = await dbs.states.getKeys(`${INSTANCE}.nodes.*.telemetry.device.batteryLevel`);
            const withTelemetry = (keys || []).map(k => k.split('.')[3]).filter(hex => devices.has(hex));
            expect(withTelemetry.length, 'nodes with battery telemetry in the states DB').to.be.greaterThan(0);
            const hex = withTelemetry.find(h => namedVectorNodes().some(n => n.hex === h)) || withTelemetry[0];
            await search(page, hex.slice(-4));
            await page.waitForSelector(`${sel.row}[data-node="${hex}"]`, { timeout: 5000 });
            await page.click(`${sel.row}[data-node="${hex}"]`);
            await page.waitForSelector(`${sel.details}[data-node="${hex}"]:not([hidden])`, {
                visible: true,
                timeout: 10_000,
            });
            await page.waitForSelector(`${sel.details} svg.sparkline`, { timeout: 10_000 });
            const charts = await page.$$eval(`${sel.details} svg.sparkline`, s => s.length);
            expect(charts, 'sparkline charts in the details').to.be.greaterThan(0);
            // Card titles are names for a person, not the adapter's keys ("device · airUtilTx").
            const cardNames = await page.$$eval(`${sel.details} .metric-name`, els => els.map(e => e.textContent));
            expect(
                cardNames.filter(n => /·|[a-z][A-Z]/.test(n)),
                'raw metric keys on telemetry cards',
            ).to.deep.equal([]);
            await shot(page, 'tab-details.png');
            await page.click(sel.detailsClose);
            await page.waitForSelector(sel.details, { hidden: true, timeout: 5000 });
            await search(page, '');
        });

        it('the map shows every node with a position as a marker or inside a cluster', async function () {
            // Nodes with a position, from the states DB.
            const keys = (await dbs.states.getKeys(`${INSTANCE}.nodes.*.position.latitude`)) || [];
            const vals = keys.length ? await dbs.states.getStates(keys) : [];
            const positioned = keys.filter((k, i) => vals[i] && typeof vals[i].val === 'number').length;
            expect(positioned, 'nodes with a latitude in the states DB').to.be.greaterThan(0);

            await page.click('button[data-view="map"]');
            await page.waitForSelector(
                '#view-map:not([hidden]) #map .leaflet-container, #view-map:not([hidden]) #map.leaflet-container',
                {
                    timeout: 10_000,
                },
            );
            expect(await page.$eval('button[data-view="map"]', b => b.classList.contains('active'))).to.equal(true);
            expect(await page.$eval('#view-nodes', v => v.hidden), '#view-nodes hidden on the map').to.equal(true);
            const m = await settledMap(page);
            expect(m.count, 'data-count of the map vs. positioned nodes in the states DB').to.equal(positioned);
            expect(m.markers + m.clusters, 'markers and clusters drawn').to.be.greaterThan(0);
            expect(m.markers + m.clustered, `markers (${m.markers}) + nodes in clusters (${m.clustered})`).to.equal(
                m.count,
            );
            await shot(page, 'tab-map.png');

            // Clicking a cluster zooms in until its nodes show as markers; nodes that send a reduced-precision
            // position (precision_bits < 32 in the captures) get a circle of that uncertainty.
            const imprecise = impreciseVectorNodes();
            expect(imprecise.length, 'captures with a reduced-precision position').to.be.greaterThan(0);
            let zoomed = m;
            for (let i = 0; i < 4 && zoomed.clusters > 0; i++) {
                const cluster = await page.$('#map .marker-cluster');
                await cluster.click();
                zoomed = await settledMap(page, 5000);
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
            const inst = await dbs.objects.getObjectAsync(`system.adapter.${INSTANCE}`);
            const ownId = String(inst.native.nodeId || '');
            expect(ownId, "the adapter's virtual node id (native.nodeId)").to.match(/^!?[0-9a-f]{8}$/);
            const ownHex = ownId.replace('!', '');

            await page.click('button[data-view="chat"]');
            await page.waitForSelector('#view-chat:not([hidden])', { timeout: 5000 });
            const target = `${sel.chatTarget}[data-target="channel:LongFast"]`;
            await page.waitForSelector(target, { timeout: 10_000 });
            await page.click(target);
            await page.waitForSelector(`${sel.chatInput}:not([disabled])`, { timeout: 10_000 });
            const text = `UI test ${crypto.randomBytes(4).toString('hex')} ✓`;
            const started = Date.now();
            await page.type(sel.chatInput, text);
            await page.click(sel.chatSend);

            const sent = await listener.waitFor(
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

            const status = await page
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
                    const own = await page.$$eval(
                        sel.chatMessage,
                        (ms, t) =>
                            ms
                                .filter(m => m.textContent.includes(t))
                                .map(m => `${m.className} status=${m.dataset.status}`),
                        text,
                    );
                    throw new Error(`the own message never showed data-status sent/acked: ${JSON.stringify(own)}`);
                });
            note('chat: click → status shown', Date.now() - started);
            expect(status).to.be.oneOf(['sent', 'acked']);
            await shot(page, 'tab-chat.png');
        });

        it('dark theme: react=dark gives body.theme-dark on a dark background', async function () {
            const dark = await openTab(chromium.browser, demo, 'dark');
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
                const light = await page.evaluate(() => ({
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
            const shell = await newPage(chromium.browser);
            try {
                await shell.goto(`${demo.adminUrl}/#tab-meshtastic-0`, {
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
                expect(shown, 'nodes in the tab inside admin').to.be.at.least(devices.size);
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
            await page.click('button[data-view="map"]');
            const before = await settledMap(page, 5000);
            // Back to the whole world (zoom out: the minus button of the map), as a user would.
            for (let i = 0; i < 8; i++) {
                const out = await page.$('#map .leaflet-control-zoom-out:not(.leaflet-disabled)');
                if (!out) {
                    break;
                }
                await out.click();
                await sleep(150);
            }
            await publishAsGateways(demo.opts.mqttPort, pair.packets, pair.gateways);
            await page.waitForFunction(
                (s, n) => Number(document.querySelector(s).dataset.count) >= n,
                { timeout: 15_000 },
                sel.mapCount,
                before.count + 2,
            );
            const toggle = 'input[data-testid="neighbors-toggle"]';
            if (!(await page.$eval(toggle, el => el.checked))) {
                await page.click(toggle);
            }
            const withLinks = await settledMap(page, 5000);
            console.log(`      map with neighbour links on: ${JSON.stringify(withLinks)}`);
            expect(withLinks.count, 'map data-count with the two new nodes').to.equal(before.count + 2);
            expect(withLinks.links, '.neighbor-link lines between the two neighbours').to.be.greaterThan(0);
            await page.click(toggle);
            const without = await settledMap(page, 5000);
            expect(without.links, 'neighbour links after switching them off').to.equal(0);
        });

        it('reconnects after admin crashes and restarts, and shows data that arrived afterwards', async function () {
            this.timeout(150_000);
            await page.click('button[data-view="nodes"]');
            expect(await page.$eval(sel.app, el => el.dataset.connected)).to.equal('true');
            const pids = demo.instancePids('admin.0');
            if (pids.length !== 1) {
                // Pending with the reason in the output (mocha's skip takes none).
                console.log(
                    `      SKIPPED: admin.0's process is not among js-controller's children (${JSON.stringify(pids)})`,
                );
                this.skip();
            }
            const before = (await countOf(page)).total;
            const t = Date.now();
            process.kill(pids[0], 'SIGKILL');
            await page.waitForSelector('#app[data-connected="false"]', { timeout: 20_000 });
            note('admin killed → tab shows disconnected', Date.now() - t);
            // js-controller restarts a crashed instance after 30 s.
            await page.waitForSelector('#app[data-connected="true"]', { timeout: 120_000 });
            note('admin killed → tab connected again', Date.now() - t);

            // A node never heard before, published after the reconnect, must show up.
            const probe = scalePackets(1, 0x0ddba11, 'UI reconnect probe');
            const node = probe.nodes[0];
            await publishAsGateways(demo.opts.mqttPort, probe.packets, probe.gateways);
            const t2 = Date.now();
            // The probe and its (simulated) gateway are new nodes.
            await page.waitForFunction(
                (s, n) => Number(document.querySelector(s).dataset.total) >= n,
                { timeout: 20_000 },
                sel.count,
                before + 1,
            );
            note('packet after reconnect → node count updated', Date.now() - t2);
            await search(page, node.hex.slice(-4));
            await page.waitForSelector(`${sel.row}[data-node="${node.hex}"]`, { timeout: 5000 });
            expect(await page.$eval(`${sel.row}[data-node="${node.hex}"]`, r => r.textContent)).to.include(
                node.longName,
            );
            await search(page, '');
            expect(await page.$eval(sel.app, el => el.dataset.state)).to.equal('ready');
        });
    });

    describe(`${SCALE_NODES.toLocaleString('en')} nodes`, function () {
        before(function () {
            if (process.env.UI_SKIP_SCALE === '1') {
                this.skip();
            }
        });

        let scale;

        it(`takes ${SCALE_NODES.toLocaleString('en')} new nodes (NodeInfo + position each) into the table`, async function () {
            this.timeout(240_000);
            await page.click('button[data-view="nodes"]');
            scale = scalePackets(SCALE_NODES, SCALE_BASE);
            const t = Date.now();
            await publishAsGateways(demo.opts.mqttPort, scale.packets, scale.gateways);
            note(`publish ${scale.packets.length} packets (qos 1, 3 gateways)`, Date.now() - t);
            let last;
            await page
                .waitForFunction(
                    (s, n) => Number(document.querySelector(s).dataset.total) >= n,
                    { timeout: 180_000, polling: 500 },
                    sel.count,
                    SCALE_NODES,
                )
                .catch(async e => {
                    last = await countOf(page);
                    throw new Error(`data-total stopped at ${last.total} (${last.text}): ${e.message}`);
                });
            note(`publish start → table shows ${SCALE_NODES} nodes`, Date.now() - t);
            const shown = await countOf(page);
            // maxNodes caps the mesh: the least recently heard nodes (of the captures) made room.
            expect(shown.total, 'data-total at maxNodes 10,000').to.equal(SCALE_NODES);
            const inDom = (await domRows(page)).length;
            console.log(`      rows in the DOM with ${shown.total} nodes: ${inDom}`);
            expect(inDom, 'rows in the DOM (virtualised)').to.be.within(1, 199);
        });

        it('finds one node by its last 4 hex digits within 1 s of typing', async function () {
            const target = scale.nodes[9000];
            const q = target.hex.slice(-4);
            const candidates = [...devices.keys(), ...scale.nodes.map(n => n.hex)];
            const names = [...devices.values(), ...scale.nodes.map(n => `${n.longName} ${n.shortName}`)];
            const expected = candidates.filter((hex, i) => hex.includes(q) || names[i].toLowerCase().includes(q));
            expect(expected, `nodes matching "${q}"`).to.deep.equal([target.hex]);
            await page.click(sel.search);
            const t = Date.now();
            await page.keyboard.type(q);
            const typed = Date.now() - t;
            await page.waitForFunction(
                (s, hex) => document.querySelectorAll(`${s}[data-node="${hex}"]`).length === 1,
                { timeout: 5000, polling: 'mutation' },
                sel.row,
                target.hex,
            );
            const found = Date.now() - t;
            note(`10k search: typing "${q}"`, typed);
            note('10k search: last key → row shown', found - typed);
            expect(found - typed, 'ms from the last key press until the row shows').to.be.below(1000);
            expect((await domRows(page)).map(r => r.hex)).to.deep.equal([target.hex]);
            const row = await page.$eval(`${sel.row}[data-node="${target.hex}"]`, r => r.textContent);
            expect(row).to.include(target.longName).and.include(target.shortName);
            await search(page, '');
        });

        it('scrolling to the bottom shows the last rows', async function () {
            await search(page, 'UI scale');
            await page.waitForFunction(
                s => Number(document.querySelector(s).dataset.count) > 9000,
                { timeout: 5000 },
                sel.count,
            );
            // By name, ascending: "UI scale 9999" is the last of "UI scale 0" … "UI scale 9999" (by characters and by
            // number alike).
            const header = '[data-sort="name"]';
            await page.click(header);
            if ((await page.$eval(header, el => el.dataset.dir)) !== 'asc') {
                await page.click(header);
            }
            const top = await visibleRows(page);
            const t = Date.now();
            await page.$eval(sel.scroll, el => {
                el.scrollTop = el.scrollHeight;
            });
            const last = scale.nodes[SCALE_NODES - 1].hex;
            await page.waitForFunction(
                (s, hex) => {
                    const row = document.querySelector(`${s}[data-node="${hex}"]`);
                    const box = document.querySelector('[data-testid="node-scroll"]').getBoundingClientRect();
                    if (!row) {
                        return false;
                    }
                    const r = row.getBoundingClientRect();
                    return r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
                },
                { timeout: 5000 },
                sel.row,
                last,
            );
            note('10k: scroll to the bottom → last row visible', Date.now() - t);
            const bottom = await visibleRows(page);
            expect(bottom[bottom.length - 1].hex, 'last visible row (names ascending)').to.equal(last);
            expect(bottom[bottom.length - 1].text).to.include(scale.nodes[SCALE_NODES - 1].longName);
            expect(bottom[0].hex, 'rows at the bottom differ from the top').to.not.equal(top[0].hex);
            expect((await domRows(page)).length, 'rows in the DOM after scrolling').to.be.below(200);
            await search(page, '');
        });

        it('the map (opened before the nodes arrived) clusters the new nodes', async function () {
            this.timeout(60_000);
            const t = Date.now();
            await page.click('button[data-view="map"]');
            const m = await settledMap(page, 40_000);
            note('10k: map view → markers/clusters settled', Date.now() - t);
            console.log(`      map with 10k: ${JSON.stringify(m)}`);
            expect(m.count, 'map data-count').to.be.at.least(SCALE_NODES - 100);
            expect(m.clusters, '.marker-cluster elements').to.be.within(1, 999);
            await page.click('button[data-view="nodes"]');
        });

        it('a freshly opened tab loads all 10,000 nodes, in the table and on the map', async function () {
            this.timeout(90_000);
            const t = Date.now();
            const fresh = await openTab(chromium.browser, demo);
            try {
                note('10k: tab load → ready', fresh.readyMs);
                await fresh.waitForFunction(
                    (s, n) => Number(document.querySelector(s).dataset.total) === n,
                    { timeout: 30_000 },
                    sel.count,
                    SCALE_NODES,
                );
                note(`10k: tab load → ${SCALE_NODES} rows counted`, Date.now() - t);
                expect((await domRows(fresh)).length).to.be.within(1, 199);
                const t2 = Date.now();
                await fresh.click('button[data-view="map"]');
                const m = await settledMap(fresh, 40_000);
                note('10k, fresh tab: map view → markers/clusters settled', Date.now() - t2);
                console.log(`      fresh tab, map with 10k: ${JSON.stringify(m)}`);
                expect(m.count, 'map data-count').to.be.at.least(SCALE_NODES - 100);
                expect(m.clusters, '.marker-cluster elements').to.be.within(1, 999);
            } finally {
                await fresh.close();
            }
        });
    });
});
