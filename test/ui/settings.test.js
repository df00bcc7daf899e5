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
/** Every i18n key the form uses (label, text, help, title, tooltip), found recursively. */
function formKeys(node, out = new Set()) {
    if (Array.isArray(node)) {
        node.forEach(n => formKeys(n, out));
    } else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
            if (
                ['label', 'text', 'help', 'title', 'tooltip', 'validatorErrorText'].includes(k) &&
                typeof v === 'string'
            ) {
                out.add(v);
            } else {
                formKeys(v, out);
            }
        }
    }
    return out;
}
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
        // Admin reopens the tab shown last: start on the first one.
        await clickTab(TABS[0][1]);
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

    /** The id of the input labelled `label` (MUI links them with for/id). */
    const inputOf = async label => {
        const id = await page.evaluate(label => {
            for (const el of document.querySelectorAll('label')) {
                if (el.textContent.replace(/\s*\*$/, '').trim() === label && el.getBoundingClientRect().width > 0) {
                    return el.htmlFor || el.parentElement.querySelector('input, textarea, [role="combobox"]')?.id;
                }
            }
            return undefined;
        }, label);
        if (!id) {
            throw new Error(`no field "${label}"`);
        }
        return `[id="${id}"]`;
    };

    const typeInto = async (label, text) => {
        const field = await inputOf(label);
        await page.click(field, { clickCount: 3 });
        await page.keyboard.press('Backspace');
        await page.type(field, text);
        await page.keyboard.press('Tab');
        await sleep(300);
    };

    /** Picks `option` in the select labelled `label`. */
    const choose = async (label, option) => {
        const opened = await page.evaluate(label => {
            for (const el of document.querySelectorAll('label')) {
                if (el.textContent.trim() === label && el.getBoundingClientRect().width > 0) {
                    const box = el.parentElement.querySelector('[role="combobox"], [role="button"]');
                    if (box) {
                        box.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
                        return true;
                    }
                }
            }
            return false;
        }, label);
        if (!opened) {
            throw new Error(`no select "${label}"`);
        }
        await page.waitForSelector('li[role="option"]', { timeout: 5000 });
        const items = await page.$$('li[role="option"]');
        for (const item of items) {
            if ((await item.evaluate(i => i.textContent.trim())) === option) {
                await item.click();
                await sleep(400);
                return;
            }
        }
        throw new Error(`no option "${option}" in "${label}"`);
    };

    /** Admin marks an invalid field red, or (number fields) puts an error sign on the field's tab. */
    const invalid = async label => {
        const field = await inputOf(label);
        const red = await page.$eval(
            field,
            i => i.getAttribute('aria-invalid') === 'true' || !!i.closest('.Mui-error'),
        );
        return red || tabMarked();
    };

    const tabMarked = () =>
        page.$eval('[role="tab"][aria-selected="true"]', t => !!t.querySelector('[data-testid="ErrorIcon"]'));

    const buttonNamed = name =>
        page.evaluateHandle(
            name => [...document.querySelectorAll('button')].find(b => b.textContent.trim() === name),
            name,
        );

    const saveEnabled = async () => (await buttonNamed('Save')).evaluate(b => !!b && !b.disabled);

    const clickButton = async name => {
        const b = await buttonNamed(name);
        await b.asElement().click();
    };

    const textShown = text =>
        page.evaluate(
            text =>
                [...document.querySelectorAll('span, p, div')].some(
                    el =>
                        el.children.length === 0 &&
                        el.textContent.trim() === text &&
                        el.getBoundingClientRect().width > 0,
                ),
            text,
        );

    it('every tab renders with translated texts and no console warning from the form', async function () {
        this.timeout(120_000);
        await openSettings();
        // A key on screen as it is: one of ours (also one admin translated with its own dictionary instead, as
        // with "mode"), or an identifier-like camelCase/snake word.
        const keys = new Set([...Object.keys(EN), ...formKeys(FORM)]);
        expect(
            [...formKeys(FORM)].filter(k => !(k in EN)),
            'keys without an English text',
        ).to.deep.equal([]);
        const lowerKeys = new Set([...keys].map(k => k.toLowerCase()));
        const texts = new Set(Object.values(EN));
        const found = [];
        const errorTabs = [];
        const monospace = [];
        const staticTexts = Object.values(FORM.items).flatMap(panel =>
            Object.values(panel.items)
                .filter(item => item.type === 'staticText')
                .map(item => EN[item.text]),
        );
        for (const [key, label] of TABS) {
            expect(label, `translation of the label of tab ${key}`).to.be.a('string');
            await clickTab(label);
            for (const text of await visibleTexts()) {
                // A key shown as it is: an i18n key of ours, or an identifier-like camelCase/snake word.
                const asKey = keys.has(text) || (lowerKeys.has(text.toLowerCase()) && !texts.has(text));
                if (asKey || /^[a-z]+([A-Z][a-z0-9]*)+$/.test(text) || /^[a-z]+_[a-z_]+$/i.test(text)) {
                    found.push(`${label}: "${text}"`);
                }
            }
            // Static texts read like the help texts beside them, not like code.
            const mono = await page.evaluate(
                texts =>
                    [...document.querySelectorAll('*')]
                        .filter(el => texts.includes(el.textContent.trim()) && el.getBoundingClientRect().width > 0)
                        .filter(el => /monospace/i.test(getComputedStyle(el).fontFamily))
                        .map(el => el.textContent.trim().slice(0, 40)),
                staticTexts,
            );
            monospace.push(...mono.map(t => `${label}: "${t}"`));
            if (await tabMarked()) {
                errorTabs.push(label);
            }
            if (key === '_connection') {
                expect(await fieldShown(EN.operatingMode), 'the first field with its own label').to.equal(true);
            }
            await shot(page, `settings-${key.replace(/^_/, '')}.png`);
        }
        expect(errorTabs, 'tabs with an error sign on the unchanged form').to.deep.equal([]);
        expect(monospace, 'static texts in a monospace font').to.deep.equal([]);
        expect(found, 'untranslated keys on screen').to.deep.equal([]);
        expect(formProblems(messages), 'console warnings/errors about the form').to.deep.equal([]);
    });

    it('broker ↔ client shows and hides the right fields', async function () {
        this.timeout(60_000);
        await openSettings();
        const brokerOnly = [EN.bind, EN.port, EN.maxClients];
        const clientOnly = [EN.clientPreset, EN.clientId];
        for (const label of brokerOnly) {
            expect(await fieldShown(label), `${label} in broker mode`).to.equal(true);
        }
        for (const label of clientOnly) {
            expect(await fieldShown(label), `${label} in broker mode`).to.equal(false);
        }
        await choose(EN.operatingMode, EN.modeClient);
        for (const label of brokerOnly) {
            expect(await fieldShown(label), `${label} in client mode`).to.equal(false);
        }
        for (const label of clientOnly) {
            expect(await fieldShown(label), `${label} in client mode`).to.equal(true);
        }
        // The public server's hint belongs to that preset only; the URL field to "Custom broker" only.
        await choose(EN.clientPreset, EN.presetCustom);
        expect(await fieldShown(EN.url), 'URL with a custom broker').to.equal(true);
        expect(await textShown(EN.publicServer_hint), 'public-server hint with a custom broker').to.equal(false);
        await choose(EN.clientPreset, EN.presetMeshtastic);
        expect(await fieldShown(EN.url), 'URL with a preset').to.equal(false);
        expect(await textShown(EN.publicServer_hint), 'public-server hint with its preset').to.equal(true);
        await shot(page, 'settings-connection-client.png');
        await choose(EN.operatingMode, EN.modeBroker);
        expect(await fieldShown(EN.port), 'port back in broker mode').to.equal(true);
    });

    it('invalid entries are marked and cannot be saved', async function () {
        this.timeout(90_000);
        await openSettings();
        expect(await tabMarked(), 'no error sign on a valid form').to.equal(false);
        expect(await saveEnabled(), 'Save on an unchanged form').to.equal(false);
        const cases = [
            ['port 0', async () => typeInto(EN.port, '0'), EN.port],
            ['port 70000', async () => typeInto(EN.port, '70000'), EN.port],
            [
                'a malformed broker URL',
                async () => {
                    await choose(EN.operatingMode, EN.modeClient);
                    await choose(EN.clientPreset, EN.presetCustom);
                    await typeInto(EN.url, 'mqtt:/broker');
                },
                EN.url,
            ],
        ];
        for (const [what, enter, label] of cases) {
            await openSettings();
            await enter();
            expect(await invalid(label), `${what}: field marked`).to.equal(true);
            expect(await saveEnabled(), `${what}: Save`).to.equal(false);
        }
        // Channel table: a key that is no key. The row's stored default key is plain, so admin shows it scrambled;
        // the unchanged form above had no error, so the check tells the two apart.
        await openSettings();
        await clickTab(EN.tabChannels);
        const psk = await page.$('table tbody tr td:nth-child(2) input');
        expect(
            await page.$eval('table tbody tr td:nth-child(2) input', i => i.getAttribute('aria-invalid')),
            'the untouched default key (shown scrambled by admin) is not marked',
        ).to.not.equal('true');
        await psk.click({ clickCount: 3 });
        await psk.type('not a key!');
        await sleep(300);
        expect(
            await page.$eval('table tbody tr td:nth-child(2) input', i => i.getAttribute('aria-invalid')),
            'malformed PSK marked',
        ).to.equal('true');
        expect(await saveEnabled(), 'malformed PSK: Save').to.equal(false);
        // Channel table: a duplicate name.
        await openSettings();
        await clickTab(EN.tabChannels);
        const first = await page.$eval('table tbody tr td:first-child input', i => i.value);
        await page.click('span[aria-label="Add row"] button');
        await sleep(300);
        const names = await page.$$('table tbody tr td:first-child input');
        const added = names[names.length - 1];
        await added.click({ clickCount: 3 });
        await added.type(first);
        await sleep(300);
        const marked = await page.evaluate(() =>
            [...document.querySelectorAll('table tbody tr td:first-child input')].some(
                i => i.getAttribute('aria-invalid') === 'true',
            ),
        );
        const tableError = await page.evaluate(() => document.body.innerText);
        expect(marked || /unique|duplicate|eindeutig/i.test(tableError), 'duplicate channel name marked').to.equal(
            true,
        );
        expect(await saveEnabled(), 'duplicate channel name: Save').to.equal(false);
    });

    it('a valid change is saved and the restarted adapter uses it (broker on the new port)', async function () {
        this.timeout(120_000);
        const oldPort = demo.opts.mqttPort;
        const newPort = oldPort + 7;
        expect(await listening(oldPort), `broker on ${oldPort} before`).to.equal(true);
        expect(await listening(newPort), `nothing on ${newPort} before`).to.equal(false);
        await openSettings();
        await typeInto(EN.port, String(newPort));
        expect(await invalid(EN.port)).to.equal(false);
        expect(await saveEnabled(), 'Save after a valid change').to.equal(true);
        await clickButton('Save');
        const saved = await waitFor(
            async () => {
                const o = await dbs.objects.getObjectAsync(`system.adapter.${INSTANCE}`);
                return o.native.port === newPort ? o : undefined;
            },
            15_000,
            'the new port in the instance object',
        );
        expect(saved.native.port).to.equal(newPort);
        await waitFor(() => listening(newPort), 60_000, `the broker on port ${newPort}`);
        expect(await listening(oldPort), `old port ${oldPort} closed`).to.equal(false);
    });
});
