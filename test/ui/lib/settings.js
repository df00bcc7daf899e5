'use strict';
// Helpers of the settings-form browser test (test/ui/settings.test.js): the form's i18n keys and tabs, screenshots,
// and what a user does in admin's instance settings (click a tab, read texts, type, choose, Save), on a puppeteer page.
/* global document, MouseEvent -- used inside page.evaluate (runs in Chromium) */
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { REPO, HOST, sleep } = require('./demo');

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

/** What a user does in the open settings form; `getPage()` returns the page currently showing it. */
function formActions(getPage) {
    const clickTab = async label => {
        const tabs = await getPage().$$('[role="tab"]');
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
        getPage().evaluate(() => {
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
        getPage().evaluate(label => {
            for (const el of document.querySelectorAll('label')) {
                if (el.textContent.replace(/\s*\*$/, '').trim() === label) {
                    const r = el.getBoundingClientRect();
                    return r.width > 0 && r.height > 0;
                }
            }
            return false;
        }, label);

    /** The id of the input labelled `label` (MUI links them with for/id); admin may be re-rendering: up to 5 s. */
    const inputOf = async label => {
        const end = Date.now() + 5000;
        let id;
        while (!(id = await findInput(label)) && Date.now() < end) {
            await sleep(250);
        }
        if (!id) {
            throw new Error(`no field "${label}"`);
        }
        return `[id="${id}"]`;
    };

    const findInput = label =>
        getPage().evaluate(label => {
            for (const el of document.querySelectorAll('label')) {
                if (el.textContent.replace(/\s*\*$/, '').trim() === label && el.getBoundingClientRect().width > 0) {
                    return el.htmlFor || el.parentElement.querySelector('input, textarea, [role="combobox"]')?.id;
                }
            }
            return undefined;
        }, label);

    const typeInto = async (label, text) => {
        const field = await inputOf(label);
        await getPage().click(field, { clickCount: 3 });
        await getPage().keyboard.press('Backspace');
        await getPage().type(field, text);
        await getPage().keyboard.press('Tab');
        await sleep(300);
    };

    /** Picks `option` in the select labelled `label`. */
    const choose = async (label, option) => {
        const opened = await getPage().evaluate(label => {
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
        await getPage().waitForSelector('li[role="option"]', { timeout: 5000 });
        const items = await getPage().$$('li[role="option"]');
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
        const red = await getPage().$eval(
            field,
            i => i.getAttribute('aria-invalid') === 'true' || !!i.closest('.Mui-error'),
        );
        return red || tabMarked();
    };

    const tabMarked = () =>
        getPage().$eval('[role="tab"][aria-selected="true"]', t => !!t.querySelector('[data-testid="ErrorIcon"]'));

    const buttonNamed = name =>
        getPage().evaluateHandle(
            name => [...document.querySelectorAll('button')].find(b => b.textContent.trim() === name),
            name,
        );

    const saveEnabled = async () => (await buttonNamed('Save')).evaluate(b => !!b && !b.disabled);

    const clickButton = async name => {
        const b = await buttonNamed(name);
        await b.asElement().click();
    };

    const textShown = text =>
        getPage().evaluate(
            text =>
                [...document.querySelectorAll('span, p, div')].some(
                    el =>
                        el.children.length === 0 &&
                        el.textContent.trim() === text &&
                        el.getBoundingClientRect().width > 0,
                ),
            text,
        );
    return {
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
    };
}

module.exports = { INSTANCE, EN, FORM, TABS, formKeys, shot, listening, waitFor, formProblems, formActions };
