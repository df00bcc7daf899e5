'use strict';
// What the tab tests (test/ui/tab.test.js and test/ui/tab/*.js) share: the tab's selectors, opening it, reading its
// rows and map, screenshots and timings.
/* global document, requestAnimationFrame -- used inside page.evaluate (runs in Chromium) */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { REPO, sleep } = require('./demo');
const { newPage } = require('./browser');

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

module.exports = {
    INSTANCE,
    SCALE_NODES,
    SCALE_BASE,
    SHOTS_TMP,
    SHOTS_REPO,
    sel,
    timings,
    note,
    openTab,
    countOf,
    domRows,
    visibleRows,
    collectAllRows,
    search,
    shot,
    settledMap,
    luminance,
};
