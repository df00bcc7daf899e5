'use strict';
/*
 * Repository rules the official checker (@iobroker/repochecker, run offline by test/repochecker) does not have.
 * Everything it checks itself was removed here; each remaining test says what the checker misses.
 *
 * Run: npx mocha test/repo-rules.test.js
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..');
const LANGUAGES = ['en', 'de', 'ru', 'pt', 'nl', 'fr', 'it', 'es', 'pl', 'uk', 'zh-cn'];

/** Native keys the adapter manages itself; they are deliberately not in the admin form. */
const INTERNAL_NATIVE_KEYS = ['privateKey'];

/** Components that store a value in native (the item key is the native attribute). */
const VALUE_COMPONENTS = new Set([
    'autocomplete', 'certificate', 'checkbox', 'chips', 'color', 'cron', 'datePicker', 'file', 'instance', 'ip',
    'jsonEditor', 'language', 'number', 'objectId', 'password', 'port', 'select', 'slider', 'table', 'text',
    'timePicker', 'user', 'uuid', 'accordion',
]); // prettier-ignore
/** Attributes whose string values admin translates (M5600 TRANSLATABLE_ATTRS + staticText/header text + table title). */
const TRANSLATED_ATTRS = ['label', 'help', 'tooltip', 'placeholder', 'validatorErrorText', 'text', 'title'];

// ---- helpers -------------------------------------------------------------------------------------------------------

const file = rel => path.join(ROOT, rel);
const exists = rel => fs.existsSync(file(rel));
const readText = rel => fs.readFileSync(file(rel), 'utf8');
const readJson = rel => JSON.parse(readText(rel));

/** Visits every jsonConfig node with its key and path; table column items are reported with inTable. */
function walkJsonConfig(node, visit, key = '', where = '$', inTable = false) {
    if (!node || typeof node !== 'object') {
        return;
    }
    visit(node, key, where, inTable);
    if (node.items && typeof node.items === 'object') {
        if (Array.isArray(node.items)) {
            node.items.forEach((item, i) => walkJsonConfig(item, visit, item.attr || '', `${where}.items[${i}]`, true));
        } else {
            for (const [childKey, child] of Object.entries(node.items)) {
                walkJsonConfig(child, visit, childKey, `${where}/${childKey}`, inTable);
            }
        }
    }
}

/** All string values of translated attributes, including select option labels. */
function collectTranslationKeys(jsonConfig) {
    const found = [];
    walkJsonConfig(jsonConfig, (node, key, where) => {
        for (const attr of TRANSLATED_ATTRS) {
            if (typeof node[attr] === 'string' && !node.noTranslation) {
                found.push({ where, attr, value: node[attr] });
            }
        }
        if (Array.isArray(node.options)) {
            node.options.forEach((option, i) => {
                if (typeof option.label === 'string') {
                    found.push({ where: `${where}.options[${i}]`, attr: 'label', value: option.label });
                }
            });
        }
    });
    return found;
}

// ---- fixtures ------------------------------------------------------------------------------------------------------

const io = readJson('io-package.json');
const common = io.common;
const native = io.native;
const jsonConfig = readJson('admin/jsonConfig.json');
const i18n = Object.fromEntries(
    LANGUAGES.filter(lang => exists(`admin/i18n/${lang}.json`)).map(lang => [
        lang,
        readJson(`admin/i18n/${lang}.json`),
    ]),
);
const en = i18n.en || {};

/** Table components in jsonConfig by native attribute. */
const tables = {};
/** Value components (outside tables) by native attribute. */
const inputs = {};
walkJsonConfig(jsonConfig, (node, key, where, inTable) => {
    if (!inTable && node.type === 'table') {
        tables[key] = node;
    }
    if (!inTable && VALUE_COMPONENTS.has(node.type) && key && !key.startsWith('_')) {
        (inputs[key] ||= []).push({ node, where });
    }
});

// ---- admin/jsonConfig.json (M5500, M5000 W5057/W5058, E5040) -------------------------------------------------------

describe('admin/jsonConfig.json', () => {
    // The checker only checks that protected keys exist in native (W1095), not that form and native agree.
    it('edits only native keys, and every native key is in the form or declared internal', () => {
        for (const [key, uses] of Object.entries(inputs)) {
            assert.ok(key in native, `form field "${key}" (${uses[0].where}) has no native default in io-package.json`);
        }
        for (const key of Object.keys(native)) {
            assert.ok(
                key in inputs || INTERNAL_NATIVE_KEYS.includes(key),
                `native "${key}" is neither in jsonConfig nor internal`,
            );
        }
        for (const key of INTERNAL_NATIVE_KEYS) {
            assert.ok(!(key in inputs), `internal key "${key}" must not be editable in the form`);
        }
    });

    // The checker compares a component's own `default` (W5516), never the io-package native default.
    it('matches native default types, option values and number ranges', () => {
        for (const [key, uses] of Object.entries(inputs)) {
            for (const { node, where } of uses) {
                const value = native[key];
                if (node.type === 'number') {
                    assert.equal(typeof value, 'number', `${key}: native default must be a number`);
                    if (node.min !== undefined) {
                        assert.ok(value >= node.min, `${key}: default ${value} < min ${node.min}`);
                    }
                    if (node.max !== undefined) {
                        assert.ok(value <= node.max, `${key}: default ${value} > max ${node.max}`);
                    }
                } else if (node.type === 'checkbox') {
                    assert.equal(typeof value, 'boolean', `${key}: native default must be boolean`);
                } else if (['text', 'password', 'ip', 'certificate'].includes(node.type)) {
                    assert.equal(typeof value, 'string', `${key}: native default must be a string`);
                    if (node.maxLength) {
                        assert.ok(Buffer.byteLength(value) <= node.maxLength, `${key}: default longer than maxLength`);
                    }
                } else if (node.type === 'select') {
                    const values = node.options.map(o => o.value);
                    assert.ok(
                        values.includes(value),
                        `${key}: default ${JSON.stringify(value)} is not an option (${where})`,
                    );
                    for (const option of values) {
                        assert.equal(
                            typeof option,
                            typeof value,
                            `${key}: option ${option} has another type than the default`,
                        );
                    }
                } else if (node.type === 'table') {
                    assert.ok(Array.isArray(value), `${key}: table default must be an array`);
                    const columns = node.items.map(i => i.attr);
                    for (const row of value) {
                        assert.deepEqual(Object.keys(row).sort(), [...columns].sort(), `${key}: default row columns`);
                    }
                    for (const attr of node.encryptedAttributes || []) {
                        assert.ok(columns.includes(attr), `${key}: encryptedAttributes "${attr}" is not a column`);
                    }
                    for (const attr of node.uniqueColumns || []) {
                        assert.ok(columns.includes(attr), `${key}: uniqueColumns "${attr}" is not a column`);
                    }
                }
            }
        }
    });

    // The checker does not parse hidden/disabled expressions.
    it('references only native keys in hidden/disabled expressions', () => {
        walkJsonConfig(jsonConfig, (node, key, where) => {
            for (const attr of ['hidden', 'disabled']) {
                if (typeof node[attr] !== 'string') {
                    continue;
                }
                for (const [, ref] of node[attr].matchAll(/\bdata\.([A-Za-z_$][\w$]*)/g)) {
                    assert.ok(ref in native, `${where}.${attr} references unknown data.${ref}`);
                }
                assert.doesNotThrow(
                    () => new Function('data', '_system', `return (${node[attr]});`),
                    `${where}.${attr} is not valid JS`,
                );
            }
        });
    });
});

// ---- admin/i18n (M5600) --------------------------------------------------------------------------------------------

describe('admin/i18n', () => {
    // W5606 flags single copied keys; a language that is mostly English copies passes it.
    it('no language is mostly copied from English', () => {
        const countWords = text => (text.match(/[a-zA-Z\u00C0-\u024F]+/g) || []).length;
        for (const lang of LANGUAGES.filter(l => l !== 'en')) {
            const keys = Object.keys(en);
            const identical = keys.filter(k => i18n[lang][k] === en[k]);
            const longIdentical = identical.filter(k => countWords(en[k]) > 5 && !/https?:\/\/|www\./.test(en[k]));
            assert.deepEqual(longIdentical, [], `W5606: ${lang}.json has untranslated texts`);
            assert.ok(
                identical.length <= keys.length * 0.2,
                `${lang}.json: ${identical.length} of ${keys.length} texts equal English`,
            );
        }
    });

    // W5612 checks that labels are keys; keys no form uses any more are not reported.
    it('has every label/help/text/title used in jsonConfig as a key in en.json, and no unused keys', () => {
        const used = collectTranslationKeys(jsonConfig);
        for (const { where, attr, value } of used) {
            assert.ok(value in en, `W5612: ${where}.${attr} "${value}" is not a key in en.json`);
        }
        const usedKeys = new Set(used.map(u => u.value));
        const unused = Object.keys(en).filter(k => !usedKeys.has(k));
        assert.deepEqual(unused, [], 'keys in en.json that jsonConfig does not use');
    });
});

// ---- README / LICENSE (M6000 / M7000) ------------------------------------------------------------------------------

describe('README.md', () => {
    const readme = () => {
        assert.ok(exists('README.md'), 'README.md does not exist yet');
        return readText('README.md');
    };

    // ioBroker.repositories requirement (a link to the maker's site), not a checker rule.
    it('links to meshtastic.org', () => {
        const text = readme();
        assert.match(text, /https?:\/\/(www\.)?meshtastic\.org/, 'link to the maker site (meshtastic.org)');
    });
});

// ---- package.json (M0000, M9000) -----------------------------------------------------------------------------------

describe('package.json', () => {
    // The checker reads the files list, not what `npm pack` really includes.
    it('publishes admin (jsonConfig, i18n, icon), io-package.json, LICENSE and COPYING, and nothing of src/test', function () {
        this.timeout(60000);
        const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
            cwd: ROOT,
            encoding: 'utf8',
            shell: process.platform === 'win32',
            stdio: ['ignore', 'pipe', 'ignore'],
        });
        const packed = new Set(JSON.parse(out)[0].files.map(f => f.path));
        const required = [
            'io-package.json',
            'LICENSE',
            'COPYING',
            'admin/jsonConfig.json',
            `admin/${common.icon}`,
            ...LANGUAGES.map(l => `admin/i18n/${l}.json`),
        ];
        for (const rel of required) {
            assert.ok(packed.has(rel), `${rel} is not in the npm package`);
        }
        for (const rel of packed) {
            assert.ok(!/^(src|test|\.github|\.vscode|\.dev-server|docs)\//.test(rel), `${rel} must not be published`);
        }
    });
});

// ---- repository files (M3000, M4000, M5000, M8900) -----------------------------------------------------------------

describe('repository files', () => {
    // Not a checker rule: the templates ask for the gateway firmware and broker mode needed for a bug report.
    it('has the GitHub issue templates', () => {
        for (const rel of ['bug_report.yml', 'feature_request.yml', 'config.yml']) {
            assert.ok(exists(`.github/ISSUE_TEMPLATE/${rel}`), rel);
        }
    });
});
