'use strict';
// The tab's node list against what the adapter wrote for the shared captures: rows and names, search, column
// headers, sorting, node details.
// Part of test/ui/tab.test.js, which starts the demo and the browser once and passes them in `ui`.
/* global document -- used inside page.evaluate (runs in Chromium) */
const { expect } = require('chai');
const { nodeDevices, sleep } = require('../lib/demo');
const {
    INSTANCE,
    sel,
    note,
    openTab,
    countOf,
    domRows,
    visibleRows,
    collectAllRows,
    search,
    shot,
} = require('../lib/tab');
const { namedVectorNodes } = require('../lib/mesh');

/** `ui`: { demo, dbs, listener, chromium, page, devices } of test/ui/tab.test.js, set in its before(). */
module.exports = function nodeListTests(ui) {
    it('lists every node the adapter created, with the names the captures carry', async function () {
        this.timeout(90_000);
        ui.page = await openTab(ui.chromium.browser, ui.demo);
        note('tab load → ready (captures)', ui.page.readyMs);
        // The adapter creates node objects a moment after it decoded them: wait until both sides agree.
        let shown;
        const end = Date.now() + 45_000;
        for (;;) {
            ui.devices = await nodeDevices(ui.dbs.objects, INSTANCE);
            shown = await countOf(ui.page);
            if (shown.total === ui.devices.size && shown.count === ui.devices.size && ui.devices.size > 0) {
                break;
            }
            if (Date.now() > end) {
                break;
            }
            await sleep(500);
        }
        expect(ui.devices.size, 'node devices in the objects DB').to.be.greaterThan(5);
        expect(shown.total, `node count shown (${shown.text}) vs. meshtastic.0.nodes.* devices`).to.equal(
            ui.devices.size,
        );
        expect(shown.count, 'rows after the (empty) filter').to.equal(ui.devices.size);

        const rows = await collectAllRows(ui.page);
        expect([...rows.keys()].sort(), 'rows seen scrolling through the table').to.deep.equal(
            [...ui.devices.keys()].sort(),
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
                    `!${n.hex} "${n.longName}" (${n.vector}): no row (device in objects DB: ${ui.devices.has(n.hex)})`,
                );
            } else if (!row.text.includes(n.longName) || !row.text.includes(n.shortName)) {
                missing.push(
                    `!${n.hex}: row "${row.text}" lacks "${n.longName}" / "${n.shortName}" (device name: "${ui.devices.get(n.hex)}")`,
                );
            }
        }
        expect(missing, 'named nodes of the captures').to.deep.equal([]);
        expect(ui.page.problems, 'page errors').to.deep.equal([]);
        await shot(ui.page, 'tab-nodes.png');
    });

    it('search narrows the rows to a long-name fragment or the last 4 hex digits; clearing restores them', async function () {
        const total = (await countOf(ui.page)).total;
        const named = namedVectorNodes().filter(n => ui.devices.has(n.hex));
        // Queries that match exactly one node, judged from the captures and the objects DB (not the tab).
        const known = [...ui.devices.keys()].map(hex => ({
            hex,
            names: [ui.devices.get(hex), ...named.filter(n => n.hex === hex).flatMap(n => [n.longName, n.shortName])]
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
        const byHex = [...ui.devices.keys()].find(hex => matchesOf(hex.slice(-4)).length === 1);
        cases.push({ q: byHex.slice(-4), hex: byHex, what: `last 4 hex digits of !${byHex}` });
        expect(cases.length).to.be.at.least(2);
        for (const c of cases) {
            await search(ui.page, c.q);
            await ui.page
                .waitForFunction(s => document.querySelector(s).dataset.count === '1', { timeout: 5000 }, sel.count)
                .catch(() => {});
            const rows = await domRows(ui.page);
            expect(
                rows.map(r => r.hex),
                c.what,
            ).to.deep.equal([c.hex]);
            expect((await countOf(ui.page)).count, `count shown for ${c.what}`).to.equal(1);
        }
        await search(ui.page, '');
        await ui.page.waitForFunction(
            (s, n) => document.querySelector(s).dataset.count === String(n),
            { timeout: 5000 },
            sel.count,
            total,
        );
        expect((await countOf(ui.page)).count).to.equal(total);
        expect((await domRows(ui.page)).length).to.be.greaterThan(1);
    });

    it('no column header is cut off at 1,400 px', async function () {
        await ui.page.setViewport({ width: 1400, height: 800 });
        try {
            await sleep(300);
            const cut = await ui.page.$$eval('.table-head .cell', cells =>
                cells.filter(c => c.scrollWidth > c.clientWidth).map(c => c.textContent),
            );
            expect(cut, 'truncated column headers').to.deep.equal([]);
        } finally {
            await ui.page.setViewport({ width: 1280, height: 800 });
        }
    });

    /** The top row once the table has rendered again (a re-sort or a viewport change re-renders it; slow under load). */
    async function firstVisibleRow(page) {
        const end = Date.now() + 10_000;
        for (;;) {
            const rows = await visibleRows(page);
            if (rows.length > 0 || Date.now() > end) {
                expect(rows.length, 'rows shown after sorting').to.be.greaterThan(0);
                return rows[0];
            }
            await sleep(200);
        }
    }

    it('sorting by name changes the order (ascending ↔ descending)', async function () {
        const header = '[data-sort="name"]';
        await ui.page.click(header);
        const dir1 = await ui.page.$eval(header, el => el.dataset.dir);
        const first1 = await firstVisibleRow(ui.page);
        await ui.page.click(header);
        const dir2 = await ui.page.$eval(header, el => el.dataset.dir);
        const first2 = await firstVisibleRow(ui.page);
        expect([dir1, dir2].sort(), 'data-dir of the name header after two clicks').to.deep.equal(['asc', 'desc']);
        expect(first1.hex, `first row by name ${dir1} vs ${dir2}`).to.not.equal(first2.hex);
        // The named nodes come in alphabetical order in the ascending list.
        if (dir2 !== 'asc') {
            await ui.page.click(header);
        }
        const rows = await collectAllRows(ui.page);
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
        const keys = await ui.dbs.states.getKeys(`${INSTANCE}.nodes.*.telemetry.device.batteryLevel`);
        const withTelemetry = (keys || []).map(k => k.split('.')[3]).filter(hex => ui.devices.has(hex));
        expect(withTelemetry.length, 'nodes with battery telemetry in the states DB').to.be.greaterThan(0);
        const hex = withTelemetry.find(h => namedVectorNodes().some(n => n.hex === h)) || withTelemetry[0];
        await search(ui.page, hex.slice(-4));
        await ui.page.waitForSelector(`${sel.row}[data-node="${hex}"]`, { timeout: 5000 });
        await ui.page.click(`${sel.row}[data-node="${hex}"]`);
        await ui.page.waitForSelector(`${sel.details}[data-node="${hex}"]:not([hidden])`, {
            visible: true,
            timeout: 10_000,
        });
        await ui.page.waitForSelector(`${sel.details} svg.sparkline`, { timeout: 10_000 });
        const charts = await ui.page.$$eval(`${sel.details} svg.sparkline`, s => s.length);
        expect(charts, 'sparkline charts in the details').to.be.greaterThan(0);
        // Card titles are names for a person, not the adapter's keys ("device · airUtilTx").
        const cardNames = await ui.page.$$eval(`${sel.details} .metric-name`, els => els.map(e => e.textContent));
        expect(
            cardNames.filter(n => /·|[a-z][A-Z]/.test(n)),
            'raw metric keys on telemetry cards',
        ).to.deep.equal([]);
        await shot(ui.page, 'tab-details.png');
        await ui.page.click(sel.detailsClose);
        await ui.page.waitForSelector(sel.details, { hidden: true, timeout: 5000 });
        await search(ui.page, '');
    });
};
