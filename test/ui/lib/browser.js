'use strict';
// Chromium (the Debian package) driven by puppeteer-core, headless, with a throw-away profile.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const puppeteer = require('puppeteer-core');

const CHROMIUM = process.env.UI_CHROMIUM || '/usr/bin/chromium';
const VIEWPORT = { width: 1280, height: 800 };

async function launch() {
    if (!fs.existsSync(CHROMIUM)) {
        throw new Error(
            `Chromium not found at ${CHROMIUM}: install the Debian package (apt-get install chromium) ` +
                'or point UI_CHROMIUM at a Chrome/Chromium binary',
        );
    }
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'meshtastic-ui-chromium-'));
    const browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        // true = `--headless=new` in puppeteer 24
        headless: true,
        userDataDir: profile,
        defaultViewport: VIEWPORT,
        args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            `--window-size=${VIEWPORT.width},${VIEWPORT.height}`,
        ],
        protocolTimeout: 120_000,
    });
    return {
        browser,
        async close() {
            try {
                await browser.close();
            } finally {
                fs.rmSync(profile, { recursive: true, force: true });
            }
        },
    };
}

/**
 * A new page that records what a developer would look at when it fails: console errors and failed requests
 * (except map tiles: the test machine is offline).
 */
async function newPage(browser) {
    const page = await browser.newPage();
    await page.setViewport(VIEWPORT);
    page.problems = [];
    page.on('pageerror', e => page.problems.push(`page error: ${e.message}`));
    page.on('console', m => {
        if (
            m.type() === 'error' &&
            !/tile|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|Failed to load resource/i.test(m.text())
        ) {
            page.problems.push(`console.error: ${m.text()}`);
        }
    });
    page.on('requestfailed', r => {
        const url = r.url();
        if (!/^http:\/\/127\.0\.0\.1/.test(url)) {
            return; // tiles and other internet resources
        }
        page.problems.push(`request failed: ${url} (${r.failure() ? r.failure().errorText : '?'})`);
    });
    return page;
}

module.exports = { launch, newPage, VIEWPORT, CHROMIUM };
