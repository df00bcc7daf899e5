'use strict';
// 10,000 simulated nodes: the table, search, scrolling and the map at scale (runs last: it creates many objects).
// Part of test/ui/tab.test.js, which starts the demo and the browser once and passes them in `ui`.
/* global document -- used inside page.evaluate (runs in Chromium) */
const { expect } = require('chai');
const {
    SCALE_NODES,
    SCALE_BASE,
    sel,
    note,
    openTab,
    countOf,
    domRows,
    visibleRows,
    search,
    settledMap,
} = require('../lib/tab');
const { scalePackets, publishAsGateways } = require('../lib/mesh');

/** `ui`: { demo, dbs, listener, chromium, page, devices } of test/ui/tab.test.js, set in its before(). */
module.exports = function scaleTests(ui) {
    describe(`${SCALE_NODES.toLocaleString('en')} nodes`, function () {
        before(function () {
            if (process.env.UI_SKIP_SCALE === '1') {
                this.skip();
            }
        });

        let scale;

        it(`takes ${SCALE_NODES.toLocaleString('en')} new nodes (NodeInfo + position each) into the table`, async function () {
            this.timeout(240_000);
            await ui.page.click('button[data-view="nodes"]');
            scale = scalePackets(SCALE_NODES, SCALE_BASE);
            const t = Date.now();
            await publishAsGateways(ui.demo.opts.mqttPort, scale.packets, scale.gateways);
            note(`publish ${scale.packets.length} packets (qos 1, 3 gateways)`, Date.now() - t);
            let last;
            await ui.page
                .waitForFunction(
                    (s, n) => Number(document.querySelector(s).dataset.total) >= n,
                    { timeout: 180_000, polling: 500 },
                    sel.count,
                    SCALE_NODES,
                )
                .catch(async e => {
                    last = await countOf(ui.page);
                    throw new Error(`data-total stopped at ${last.total} (${last.text}): ${e.message}`);
                });
            note(`publish start → table shows ${SCALE_NODES} nodes`, Date.now() - t);
            const shown = await countOf(ui.page);
            // maxNodes caps the mesh: the least recently heard nodes (of the captures) made room.
            expect(shown.total, 'data-total at maxNodes 10,000').to.equal(SCALE_NODES);
            const inDom = (await domRows(ui.page)).length;
            console.log(`      rows in the DOM with ${shown.total} nodes: ${inDom}`);
            expect(inDom, 'rows in the DOM (virtualised)').to.be.within(1, 199);
        });

        it('finds one node by its last 4 hex digits within 1 s of typing', async function () {
            const target = scale.nodes[9000];
            const q = target.hex.slice(-4);
            const candidates = [...ui.devices.keys(), ...scale.nodes.map(n => n.hex)];
            const names = [...ui.devices.values(), ...scale.nodes.map(n => `${n.longName} ${n.shortName}`)];
            const expected = candidates.filter((hex, i) => hex.includes(q) || names[i].toLowerCase().includes(q));
            expect(expected, `nodes matching "${q}"`).to.deep.equal([target.hex]);
            await ui.page.click(sel.search);
            const t = Date.now();
            await ui.page.keyboard.type(q);
            const typed = Date.now() - t;
            await ui.page.waitForFunction(
                (s, hex) => document.querySelectorAll(`${s}[data-node="${hex}"]`).length === 1,
                { timeout: 5000, polling: 'mutation' },
                sel.row,
                target.hex,
            );
            const found = Date.now() - t;
            note(`10k search: typing "${q}"`, typed);
            note('10k search: last key → row shown', found - typed);
            expect(found - typed, 'ms from the last key press until the row shows').to.be.below(1000);
            expect((await domRows(ui.page)).map(r => r.hex)).to.deep.equal([target.hex]);
            const row = await ui.page.$eval(`${sel.row}[data-node="${target.hex}"]`, r => r.textContent);
            expect(row).to.include(target.longName).and.include(target.shortName);
            await search(ui.page, '');
        });

        it('scrolling to the bottom shows the last rows', async function () {
            await search(ui.page, 'UI scale');
            await ui.page.waitForFunction(
                s => Number(document.querySelector(s).dataset.count) > 9000,
                { timeout: 5000 },
                sel.count,
            );
            // By name, ascending: "UI scale 9999" is the last of "UI scale 0" … "UI scale 9999" (by characters and by
            // number alike).
            const header = '[data-sort="name"]';
            await ui.page.click(header);
            if ((await ui.page.$eval(header, el => el.dataset.dir)) !== 'asc') {
                await ui.page.click(header);
            }
            const top = await visibleRows(ui.page);
            const t = Date.now();
            await ui.page.$eval(sel.scroll, el => {
                el.scrollTop = el.scrollHeight;
            });
            const last = scale.nodes[SCALE_NODES - 1].hex;
            await ui.page.waitForFunction(
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
            const bottom = await visibleRows(ui.page);
            expect(bottom[bottom.length - 1].hex, 'last visible row (names ascending)').to.equal(last);
            expect(bottom[bottom.length - 1].text).to.include(scale.nodes[SCALE_NODES - 1].longName);
            expect(bottom[0].hex, 'rows at the bottom differ from the top').to.not.equal(top[0].hex);
            expect((await domRows(ui.page)).length, 'rows in the DOM after scrolling').to.be.below(200);
            await search(ui.page, '');
        });

        it('the map (opened before the nodes arrived) clusters the new nodes', async function () {
            this.timeout(60_000);
            const t = Date.now();
            await ui.page.click('button[data-view="map"]');
            const m = await settledMap(ui.page, 40_000);
            note('10k: map view → markers/clusters settled', Date.now() - t);
            console.log(`      map with 10k: ${JSON.stringify(m)}`);
            expect(m.count, 'map data-count').to.be.at.least(SCALE_NODES - 100);
            expect(m.clusters, '.marker-cluster elements').to.be.within(1, 999);
            await ui.page.click('button[data-view="nodes"]');
        });

        it('a freshly opened tab loads all 10,000 nodes, in the table and on the map', async function () {
            this.timeout(90_000);
            const t = Date.now();
            const fresh = await openTab(ui.chromium.browser, ui.demo);
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
};
