'use strict';
// Admin's Adapters tab driven as a user does (admin 7.8, tile view): find the adapter's tile, "Add instance" with the
// licence dialog, "Update" with the update dialog, admin's command dialog that runs the host's command, and the
// instance settings form admin opens after adding an instance.
// Admin loads the adapter's icon and LICENSE from GitHub raw URLs (io-package extIcon, `<repo>/main/LICENSE`); the
// machine may be offline, so those requests are answered from the local tree, everything else outside 127.0.0.1 is
// refused (sentry).
/* global document, MouseEvent -- used inside page.evaluate (runs in Chromium) */
const fs = require('node:fs');
const path = require('node:path');
const { newPage } = require('../../ui/lib/browser');

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const TYPES = { '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json' };

/** `https://raw.githubusercontent.com/<owner>/<repo>/main/` of io-package's extIcon. */
function rawBase(ioPackage) {
    const m = /^(https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/main\/)/.exec(ioPackage.common.extIcon || '');
    if (!m) {
        throw new Error(`io-package extIcon is not a GitHub raw URL on main: ${ioPackage.common.extIcon}`);
    }
    return m[1];
}

/** A page on admin whose GitHub raw requests for this repository are served from `repoDir`. */
async function openAdaptersTab(browser, { adminUrl, repoDir, ioPackage }) {
    const base = rawBase(ioPackage);
    const page = await newPage(browser);
    page.served = [];
    await page.setRequestInterception(true);
    page.on('request', req => {
        const url = req.url();
        if (url.startsWith(base)) {
            const rel = decodeURIComponent(url.slice(base.length).split('?')[0]);
            const file = path.join(repoDir, rel);
            page.served.push(rel);
            if (!rel.includes('..') && fs.existsSync(file) && fs.statSync(file).isFile()) {
                // The licence is read with fetch() from admin's origin: CORS as GitHub answers it.
                return req.respond({
                    status: 200,
                    headers: { 'access-control-allow-origin': '*' },
                    contentType: TYPES[path.extname(file)] || 'text/plain; charset=utf-8',
                    body: fs.readFileSync(file),
                });
            }
            return req.respond({ status: 404, headers: { 'access-control-allow-origin': '*' }, body: '' });
        }
        if (/^(https?|wss?):/.test(url) && !/^(http|ws):\/\/127\.0\.0\.1[:/]/.test(url)) {
            return req.abort('internetdisconnected');
        }
        return req.continue();
    });
    await page.goto(`${adminUrl}#tab-adapters`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    return page;
}

/**
 * The tile of the adapter titled `title` (its card with the "more" button) once admin shows it, and, if given, once
 * it holds an element matching `selector` and its text matches `text` (admin re-renders the tiles: take it fresh).
 */
async function tile(page, title, { selector = '', text = /./, timeoutMs = 60_000 } = {}) {
    const handle = await page.waitForFunction(
        (t, sel, src, flags) => {
            let card = [...document.querySelectorAll('h5')].find(h => h.textContent === t);
            while (card && !card.querySelector('[data-testid=MoreVertIcon]')) {
                card = card.parentElement;
            }
            const ok = card && (!sel || card.querySelector(sel)) && new RegExp(src, flags).test(card.innerText);
            return ok ? card : null;
        },
        { timeout: timeoutMs },
        title,
        selector,
        text.source,
        text.flags,
    );
    return handle;
}

const tileText = async (page, title) => (await tile(page, title)).evaluate(e => e.innerText);

/** The open dialogs: title/text and their buttons (label, disabled). */
const dialogs = page =>
    page.evaluate(() =>
        [...document.querySelectorAll('[role=dialog]')].map(d => ({
            text: d.innerText,
            buttons: [...d.querySelectorAll('button')].map(b => ({ label: b.innerText.trim(), disabled: b.disabled })),
        })),
    );

/**
 * Clicks the button labelled `label` (case-insensitive) in the open dialog whose text matches `within` (the topmost
 * one by default), once it is enabled.
 */
async function clickDialogButton(page, label, { within = /./, timeoutMs = 30_000 } = {}) {
    const handle = await page.waitForFunction(
        (l, src, flags) => {
            const re = new RegExp(src, flags);
            for (const d of [...document.querySelectorAll('[role=dialog]')].reverse()) {
                if (!re.test(d.innerText)) {
                    continue;
                }
                for (const b of d.querySelectorAll('button')) {
                    if (b.innerText.trim().toLowerCase() === l.toLowerCase() && !b.disabled) {
                        return b;
                    }
                }
            }
            return null;
        },
        { timeout: timeoutMs },
        label,
        within.source,
        within.flags,
    );
    await handle.click();
}

/** The input of the form field labelled `label` (MUI links label and input by for/id), shown on the page. */
async function fieldOf(page, label) {
    const id = await page.waitForFunction(
        l => {
            for (const el of document.querySelectorAll('label')) {
                if (el.textContent.replace(/\s*\*$/, '').trim() === l && el.getBoundingClientRect().width > 0) {
                    return el.htmlFor || el.parentElement.querySelector('input, [role="combobox"]')?.id || null;
                }
            }
            return null;
        },
        { timeout: 30_000 },
        label,
    );
    return `[id="${await id.jsonValue()}"]`;
}

/** Types `text` into the form field labelled `label`, replacing its value. */
async function typeInto(page, label, text) {
    const field = await fieldOf(page, label);
    // Select all (a triple click does not select in a number field), then type over it.
    await page.click(field);
    await page.keyboard.down('Control');
    await page.keyboard.press('a');
    await page.keyboard.up('Control');
    await page.type(field, text);
    await page.keyboard.press('Tab');
}

/** Picks the option containing `text` in the select labelled `label`. */
async function choose(page, label, text) {
    await page.waitForFunction(
        l => {
            for (const el of document.querySelectorAll('label')) {
                if (el.textContent.replace(/\s*\*$/, '').trim() === l && el.getBoundingClientRect().width > 0) {
                    const box = el.parentElement.querySelector('[role="combobox"], [role="button"]');
                    box?.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
                    return !!box;
                }
            }
            return false;
        },
        { timeout: 30_000 },
        label,
    );
    await page.waitForSelector('li[role="option"]', { timeout: 10_000 });
    const options = await page.$$('li[role="option"]');
    const texts = await Promise.all(options.map(o => o.evaluate(e => e.textContent)));
    const i = texts.findIndex(t => t.includes(text));
    if (i < 0) {
        throw new Error(`no option with "${text}" in "${label}": ${JSON.stringify(texts)}`);
    }
    await options[i].click();
    await page.waitForFunction(() => !document.querySelector('li[role="option"]'), { timeout: 10_000 });
}

/** Clicks the page's enabled button labelled `label` (case-insensitive), e.g. the settings form's "Save and close". */
async function clickButton(page, label, timeoutMs = 30_000) {
    const handle = await page.waitForFunction(
        l =>
            [...document.querySelectorAll('button')].find(
                b => b.innerText.trim().toLowerCase() === l.toLowerCase() && !b.disabled,
            ) || null,
        { timeout: timeoutMs },
        label,
    );
    await handle.click();
}

/**
 * Admin's "Running command" dialog until the command ends: resolves with its output once it shows
 * "Process exited with code 0", throws with the output on another code or the timeout.
 */
async function waitCommand(page, timeoutMs = 300_000) {
    const end = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < end) {
        const open = (await dialogs(page)).find(d => /Running command/.test(d.text));
        text = open ? open.text : text;
        const code = /Process exited with code (\d+)/.exec(text);
        if (code) {
            if (code[1] !== '0') {
                throw new Error(`admin's command failed (code ${code[1]}):\n${text.slice(-3000)}`);
            }
            return text;
        }
        await sleep(1000);
    }
    throw new Error(`admin's command did not end in ${timeoutMs / 1000} s:\n${text.slice(-3000)}`);
}

module.exports = {
    openAdaptersTab,
    tile,
    tileText,
    dialogs,
    clickDialogButton,
    clickButton,
    waitCommand,
    typeInto,
    choose,
    sleep,
};
