'use strict';
// The instance settings (admin/jsonConfig.json) in the real admin 7.8 of `tools/demo.js`, in headless Chromium: every
// tab renders without console warnings from the form and without untranslated keys, broker ↔ client shows and hides
// the right fields, invalid entries are marked and block saving, and a valid change is saved and reaches the
// restarted adapter (its broker listens on the new port).
//
// Env: UI_SCREENSHOTS=1 copies the screenshots (always written to <tmp>/meshtastic-ui-screenshots/) to
// docs/screenshots/; UI_VERBOSE=1 echoes the demo's output; UI_CHROMIUM=<path> another Chromium binary.
/* global document, getComputedStyle -- used inside page.evaluate (runs in Chromium) */
const { expect } = require('chai');
const { Demo, sleep } = require('./lib/demo');
const { launch, newPage } = require('./lib/browser');
const {
    INSTANCE,
    EN,
    FORM,
    TABS,
    formKeys,
    shot,
    listening,
    waitFor,
    formProblems,
    formActions,
} = require('./lib/settings');

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

    const {
        clickTab,
        visibleTexts,
        fieldShown,
        inputOf,
        typeInto,
        choose,
        invalid,
        tabMarked,
        buttonNamed,
        saveEnabled,
        clickButton,
        textShown,
    } = formActions(() => page);

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
        // Six fresh openings of the form: ~10 s each on a quiet machine, up to three times that under load.
        this.timeout(240_000);
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
