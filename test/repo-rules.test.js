'use strict';
/*
 * Local substitute for the ioBroker repository checker (@iobroker/repochecker), which cannot run offline
 * (it calls api.github.com even with --local). Each block names the checker codes it stands in for.
 * Sources: repochecker lib/M*.js (5.20.x/5.22.x), docs/iobroker-conventions.md §4.
 *
 * Run: npx mocha test/repo-rules.test.js
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..');
const LANGUAGES = ['en', 'de', 'ru', 'pt', 'nl', 'fr', 'it', 'es', 'pl', 'uk', 'zh-cn'];
const REPO_URL = 'https://github.com/iobroker-community-adapters/ioBroker.meshtastic';
const RAW_URL = 'https://raw.githubusercontent.com/iobroker-community-adapters/ioBroker.meshtastic/main';
const CURRENT_YEAR = new Date().getFullYear();

/** Native keys the adapter manages itself; they are deliberately not in the admin form. */
const INTERNAL_NATIVE_KEYS = ['privateKey'];
/** Secret-looking native keys (brief + checker W1073 list). */
const SECRET_KEY_RE = /pass|password|token|secret|psk|api.?key|private|pin$|credential/i;

const MIN_JS_CONTROLLER = '6.0.11'; // E1057/E1062
const MIN_JS_CONTROLLER_COMPLEX_SECRETS = '7.0.7'; // W5062 (encryptedAttributes), dotted encryptedNative ids
const MIN_ADMIN = '7.6.17'; // E1089/E1090

/** Components whose size attributes are optional for the checker (M5500 sizesOptional). */
const SIZE_OPTIONAL = new Set(['header', 'divider', 'custom', 'deviceManager', 'checkDocker']);
const KNOWN_COMPONENTS = new Set([
    'accordion', 'alive', 'autocomplete', 'autocompleteSendTo', 'certificate', 'certificates',
    'certificateCollection', 'checkbox', 'checkLicense', 'chips', 'color', 'coordinates', 'cron', 'custom',
    'datePicker', 'deviceManager', 'divider', 'file', 'fileSelector', 'func', 'header', 'iframe', 'image',
    'imageSendTo', 'infoBox', 'instance', 'interface', 'ip', 'jsonEditor', 'language', 'license', 'number',
    'objectId', 'password', 'pattern', 'port', 'qrCode', 'room', 'select', 'selectSendTo', 'sendTo', 'setState',
    'slider', 'state', 'staticImage', 'staticLink', 'staticText', 'table', 'text', 'textSendTo', 'timePicker',
    'user', 'uuid',
]); // prettier-ignore
/** Components that store a value in native (the item key is the native attribute). */
const VALUE_COMPONENTS = new Set([
    'autocomplete', 'certificate', 'checkbox', 'chips', 'color', 'cron', 'datePicker', 'file', 'instance', 'ip',
    'jsonEditor', 'language', 'number', 'objectId', 'password', 'port', 'select', 'slider', 'table', 'text',
    'timePicker', 'user', 'uuid', 'accordion',
]); // prettier-ignore
/** W5516: expected JS type of `default` per component. */
const DEFAULT_TYPES = { checkbox: 'boolean', number: 'number', port: 'number', slider: 'number', text: 'string', password: 'string', ip: 'string', certificate: 'string', select: undefined }; // prettier-ignore
/** Attributes whose string values admin translates (M5600 TRANSLATABLE_ATTRS + staticText/header text + table title). */
const TRANSLATED_ATTRS = ['label', 'help', 'tooltip', 'placeholder', 'validatorErrorText', 'text', 'title'];

/** Roles allowed for instanceObjects here, with the checker's rules (lib/config_StateRoles.js). */
const ROLES = {
    'indicator.connected': { types: ['boolean'], read: true, write: false },
    'indicator.reachable': { types: ['boolean'], read: true, write: false },
    indicator: { types: ['boolean'], read: true, write: false },
    json: { types: ['string', 'json'] },
    text: { types: ['string'] },
    value: { types: ['number'], read: true, write: false },
    date: { types: ['string', 'number'], read: true },
    'info.status': { read: true },
    'info.name': { types: ['string'], read: true },
    'info.address': { types: ['string'], read: true, write: false },
    button: { types: ['boolean'], read: false, write: true },
    state: {},
};
const STATE_TYPES = ['number', 'string', 'boolean', 'array', 'object', 'mixed', 'json', 'file'];

// ---- helpers -------------------------------------------------------------------------------------------------------

const file = rel => path.join(ROOT, rel);
const exists = rel => fs.existsSync(file(rel));
const readText = rel => fs.readFileSync(file(rel), 'utf8');
const readJson = rel => JSON.parse(readText(rel));

/** Compares dotted versions; returns <0, 0, >0. */
function compareVersions(a, b) {
    const pa = String(a)
        .split('.')
        .map(n => parseInt(n, 10) || 0);
    const pb = String(b)
        .split('.')
        .map(n => parseInt(n, 10) || 0);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pa[i] || 0) - (pb[i] || 0);
        if (d) {
            return d;
        }
    }
    return 0;
}

/** `[{"js-controller": ">=7.0.7"}]` or `{"js-controller": ...}` → ">=7.0.7" */
function dependencyRange(list, name) {
    const entries = Array.isArray(list) ? list : list ? [list] : [];
    for (const entry of entries) {
        if (entry && typeof entry === 'object' && name in entry) {
            return entry[name];
        }
    }
    return undefined;
}

/** Resolves a dotted native path; a path through an array yields the values of every element. */
function resolvePath(obj, dotted) {
    let current = [obj];
    for (const part of dotted.split('.')) {
        const next = [];
        for (const value of current) {
            const items = Array.isArray(value) ? value : [value];
            for (const item of items) {
                if (item && typeof item === 'object' && part in item) {
                    next.push(item[part]);
                }
            }
        }
        if (!next.length) {
            return undefined;
        }
        current = next;
    }
    return current;
}

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

/** Width and height of a PNG (IHDR) or an SVG (width/height or viewBox). */
function imageSize(rel) {
    const data = fs.readFileSync(file(rel));
    if (rel.endsWith('.png')) {
        assert.equal(data.subarray(1, 4).toString('latin1'), 'PNG', `${rel} is not a PNG`);
        return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
    }
    const text = data.toString('utf8');
    const viewBox = /viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"/.exec(text);
    const width = /<svg[^>]*\swidth="([\d.]+)/.exec(text);
    const height = /<svg[^>]*\sheight="([\d.]+)/.exec(text);
    return {
        width: Number(width ? width[1] : viewBox && viewBox[1]),
        height: Number(height ? height[1] : viewBox && viewBox[2]),
    };
}

/** Markdown lines outside fenced code blocks and HTML comments. */
function markdownLines(text) {
    const lines = [];
    let fenced = false;
    let comment = false;
    for (const line of text.split(/\r?\n/)) {
        if (/^\s*(```|~~~)/.test(line)) {
            fenced = !fenced;
            continue;
        }
        if (!fenced && line.includes('<!--')) {
            comment = !line.includes('-->');
            continue;
        }
        if (comment) {
            comment = !line.includes('-->');
            continue;
        }
        if (!fenced) {
            lines.push(line);
        }
    }
    return lines;
}

function loadYaml(rel) {
    let yaml;
    try {
        yaml = require('js-yaml'); // comes with mocha/eslint; the structural checks are skipped without it
    } catch {
        return undefined;
    }
    return yaml.load(readText(rel));
}

// ---- fixtures ------------------------------------------------------------------------------------------------------

const pkg = readJson('package.json');
const io = readJson('io-package.json');
const common = io.common;
const native = io.native;
const encryptedNative = io.encryptedNative || [];
const protectedNative = io.protectedNative || [];
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

// ---- io-package.json (M1000) ---------------------------------------------------------------------------------------

describe('io-package.json (checker M1000)', () => {
    it('has the required common fields and none of the deprecated ones (E1003–E1082, W1013)', () => {
        for (const field of [
            'name',
            'version',
            'titleLang',
            'desc',
            'news',
            'authors',
            'keywords',
            'licenseInformation',
            'platform',
            'icon',
            'extIcon',
            'readme',
            'loglevel',
            'mode',
            'type',
            'compact',
            'connectionType',
            'dataSource',
            'tier',
            'adminUI',
        ]) {
            // prettier-ignore
            assert.ok(common[field] !== undefined && common[field] !== '', `common.${field} is missing`);
        }
        for (const field of ['title', 'license', 'installedFrom', 'materialize', 'jsonConfig']) {
            assert.equal(common[field], undefined, `common.${field} must not be set`);
        }
        assert.equal(common.name, pkg.name.replace(/^iobroker\./, ''), 'common.name must match package.json name');
        assert.equal(common.name, common.name.toLowerCase());
        assert.equal(common.compact, true, 'W1013: compact should be true');
        assert.equal(common.adminUI.config, 'json', 'E1029/E5008: adminUI.config json with admin/jsonConfig.json');
        assert.ok(exists('admin/jsonConfig.json'));
        assert.equal(common.platform, 'Javascript/Node.js');
        assert.ok(['daemon', 'schedule', 'once', 'none', 'extension'].includes(common.mode), 'E1065 mode');
        assert.ok(['local', 'cloud', 'none'].includes(common.connectionType), 'E1051 connectionType');
        assert.ok(['push', 'poll', 'assumption', 'none'].includes(common.dataSource), 'E1053 dataSource');
        assert.ok([1, 2, 3].includes(common.tier), 'E1035/E1055 tier 1..3');
        assert.ok(['debug', 'info', 'warn', 'error', 'silly'].includes(common.loglevel));
        const types = ['alarm', 'climate-control', 'communication', 'date-and-time', 'energy', 'metering', 'fitness', 'garden', 'general', 'geoposition', 'hardware', 'health', 'household', 'infrastructure', 'iot-systems', 'lighting', 'logic', 'messaging', 'misc-data', 'multimedia', 'network', 'protocols', 'storage', 'utility', 'vehicle', 'visualization', 'visualization-icons', 'visualization-widgets', 'weather']; // prettier-ignore
        assert.ok(types.includes(common.type), `E1020: unknown common.type ${common.type}`);
        if (common.supportCustoms) {
            assert.ok(common.adminUI.custom, 'E1096 supportCustoms needs adminUI.custom');
        }
    });

    it('has the same version as package.json (E1018)', () => {
        assert.equal(common.version, pkg.version);
    });

    it('has titleLang and desc in all 11 languages, translated, without "ioBroker"/"adapter" (E1004–E1009, E1026, E1033)', () => {
        for (const field of ['titleLang', 'desc']) {
            assert.equal(typeof common[field], 'object', `common.${field} must be an object`);
            for (const lang of LANGUAGES) {
                assert.ok(
                    typeof common[field][lang] === 'string' && common[field][lang].trim(),
                    `common.${field}.${lang} is missing`,
                );
            }
        }
        for (const text of Object.values(common.titleLang)) {
            assert.doesNotMatch(text, /iobroker/i, 'E1006: titleLang must not contain ioBroker');
            assert.doesNotMatch(text, /adapter/i, 'W1028: titleLang should not contain "adapter"');
        }
        for (const lang of LANGUAGES.filter(l => l !== 'en')) {
            assert.notEqual(
                common.desc[lang],
                common.desc.en,
                `common.desc.${lang} is an untranslated copy of English`,
            );
        }
    });

    it('has news for the current version, at most 20 entries, all translated (E1030/E1031/E1036, E1144)', () => {
        const versions = Object.keys(common.news);
        assert.ok(versions.length >= 1 && versions.length <= 20, 'E1030/E1031: 1..20 news entries');
        assert.ok(common.news[common.version], `E1036: no news entry for ${common.version}`);
        for (const version of versions) {
            const entry = common.news[version];
            for (const lang of LANGUAGES) {
                assert.ok(typeof entry[lang] === 'string' && entry[lang].trim(), `news ${version}.${lang} is missing`);
                if (lang !== 'en') {
                    assert.notEqual(entry[lang], entry.en, `E1144: news ${version}.${lang} is identical to English`);
                }
            }
        }
    });

    it('has authors, keywords, licenseInformation (E1015–E1017, E1021–E1023, E1069, W1068)', () => {
        assert.ok(Array.isArray(common.authors) && common.authors.length > 0);
        assert.ok(Array.isArray(common.keywords) && common.keywords.length > 0);
        for (const keyword of common.keywords) {
            assert.ok(
                !['iobroker', 'adapter', 'smart home'].includes(keyword.toLowerCase()),
                `W1068 keyword "${keyword}"`,
            );
        }
        assert.equal(common.licenseInformation.type, 'free');
        assert.equal(common.licenseInformation.license, pkg.license, 'license must match package.json');
    });

    it('has a square icon of 32–512 px and extIcon/readme pointing at this repository (E1010–E1012, E1040–E1042)', () => {
        const icon = `admin/${common.icon}`;
        assert.ok(exists(icon), `${icon} does not exist`);
        const { width, height } = imageSize(icon);
        assert.equal(width, height, 'icon must be square');
        assert.ok(width >= 32 && width <= 512, `icon size ${width} must be 32..512`);
        assert.equal(common.extIcon, `${RAW_URL}/admin/${common.icon}`, 'extIcon must be the raw URL of the icon');
        assert.ok(common.readme.startsWith(`${REPO_URL}/`), 'readme must point to the repository');
    });

    it('requires js-controller and admin versions the features need (E1057–E1062, E1089/E1090, W5062)', () => {
        const controller = dependencyRange(common.dependencies, 'js-controller');
        assert.match(String(controller), /^>=\d+\.\d+\.\d+$/, 'E1059: js-controller dependency in ">=x.y.z" form');
        const controllerMin = controller.slice(2);
        assert.ok(
            compareVersions(controllerMin, MIN_JS_CONTROLLER) >= 0,
            `E1057: js-controller must be >= ${MIN_JS_CONTROLLER}`,
        );
        const usesComplexSecrets =
            Object.values(tables).some(t => Array.isArray(t.encryptedAttributes) && t.encryptedAttributes.length) ||
            encryptedNative.some(k => k.includes('.'));
        if (usesComplexSecrets) {
            assert.ok(
                compareVersions(controllerMin, MIN_JS_CONTROLLER_COMPLEX_SECRETS) >= 0,
                `W5062/E1057: encrypted table columns need js-controller >= ${MIN_JS_CONTROLLER_COMPLEX_SECRETS}`,
            );
        }
        assert.equal(
            dependencyRange(common.dependencies, 'admin'),
            undefined,
            'E1060: admin belongs in globalDependencies',
        );
        assert.equal(dependencyRange(common.globalDependencies, 'js-controller'), undefined, 'E1061');
        const admin = dependencyRange(common.globalDependencies, 'admin');
        assert.match(String(admin), /^>=\d+\.\d+\.\d+$/);
        assert.ok(compareVersions(admin.slice(2), MIN_ADMIN) >= 0, `E1089: admin must be >= ${MIN_ADMIN}`);
    });

    it('lists secrets in encryptedNative and protectedNative (W1073/W1074/W1093/W1095/W1103, E1098/E1099)', () => {
        assert.ok(Array.isArray(encryptedNative), 'E1098');
        assert.ok(Array.isArray(protectedNative), 'E1099');
        for (const key of encryptedNative) {
            assert.ok(protectedNative.includes(key), `W1093: encrypted "${key}" must also be protected`);
        }
        for (const key of new Set([...encryptedNative, ...protectedNative])) {
            if (key.includes('.')) {
                assert.ok(resolvePath(native, key) !== undefined, `W1095: "${key}" does not exist in native`);
                assert.ok(
                    encryptedNative.includes(key),
                    `W1103: dotted "${key}" only in protectedNative is not supported`,
                );
            } else {
                assert.ok(key in native, `W1095: "${key}" is not a native key`);
            }
        }
        // `certificate` fields hold the name of an entry in system.certificates, not key material.
        const certificateRefs = new Set(
            Object.keys(inputs).filter(k => inputs[k].every(u => u.node.type === 'certificate')),
        );
        for (const [key, value] of Object.entries(native)) {
            if (SECRET_KEY_RE.test(key) && typeof value !== 'boolean' && !certificateRefs.has(key)) {
                assert.ok(encryptedNative.includes(key), `W1074: secret "${key}" not in encryptedNative`);
                assert.ok(protectedNative.includes(key), `W1073: secret "${key}" not in protectedNative`);
            }
            // Secrets inside table rows: an encrypted table column whose table is protected (or dotted ids in both).
            if (Array.isArray(value)) {
                const columns = new Set(value.flatMap(row => (row && typeof row === 'object' ? Object.keys(row) : [])));
                for (const column of columns) {
                    if (!SECRET_KEY_RE.test(column)) {
                        continue;
                    }
                    const dotted = `${key}.${column}`;
                    const encryptedColumn = (tables[key]?.encryptedAttributes || []).includes(column);
                    const listed = encryptedNative.includes(dotted) && protectedNative.includes(dotted);
                    assert.ok(
                        encryptedColumn || listed,
                        `secret column ${dotted}: add encryptedAttributes ["${column}"] to the table`,
                    );
                    assert.ok(
                        protectedNative.includes(key) || protectedNative.includes(dotted),
                        `secret column ${dotted}: "${key}" must be in protectedNative`,
                    );
                }
            }
        }
    });

    it('declares instanceObjects with known roles and consistent read/write/def (W1118–W1141, E3009)', () => {
        const objects = io.instanceObjects || [];
        const ids = new Set(objects.map(o => o._id));
        assert.equal(ids.size, objects.length, 'duplicate instanceObject ids');
        assert.ok(ids.has('info') && ids.has('info.connection'), 'info and info.connection are required');
        for (const obj of objects) {
            assert.ok(typeof obj._id === 'string' && obj._id.trim(), 'W1119: _id');
            assert.ok(
                ['state', 'channel', 'device', 'folder', 'meta'].includes(obj.type),
                `W1047: ${obj._id} type ${obj.type}`,
            );
            const parent = obj._id.split('.').slice(0, -1).join('.');
            if (parent) {
                assert.ok(ids.has(parent), `E3009: parent "${parent}" of ${obj._id} is not an instanceObject`);
                const parentObj = objects.find(o => o._id === parent);
                assert.notEqual(parentObj.type, 'state', `E2004: state ${parent} must not have children`);
            }
            const name = obj.common && obj.common.name;
            assert.ok(name && typeof name === 'object', `${obj._id}: translated name object expected`);
            for (const lang of LANGUAGES) {
                assert.ok(typeof name[lang] === 'string' && name[lang].trim(), `${obj._id}: name.${lang} missing`);
            }
            if (obj.type !== 'state') {
                continue;
            }
            const c = obj.common;
            assert.equal(typeof c.read, 'boolean', `W1124: ${obj._id} read`);
            assert.equal(typeof c.write, 'boolean', `W1125: ${obj._id} write`);
            assert.ok(STATE_TYPES.includes(c.type), `W1049: ${obj._id} type ${c.type}`);
            const role = ROLES[c.role];
            assert.ok(role, `W1132: ${obj._id} role "${c.role}" is not in the allowed role list`);
            if (role.types) {
                assert.ok(role.types.includes(c.type), `W1133: ${obj._id} role ${c.role} expects type ${role.types}`);
            }
            if (role.read !== undefined) {
                assert.equal(c.read, role.read, `W1134: ${obj._id} role ${c.role} expects read=${role.read}`);
            }
            if (role.write !== undefined) {
                assert.equal(c.write, role.write, `W1135: ${obj._id} role ${c.role} expects write=${role.write}`);
            }
            if (c.def !== undefined) {
                const defType = c.type === 'json' ? 'string' : c.type;
                assert.equal(typeof c.def, defType, `W1130: ${obj._id} def must match type ${c.type}`);
            }
            const allowed = ['min', 'max', 'step', 'unit', 'def', 'defAck', 'desc', 'read', 'write', 'role', 'states', 'workingID', 'custom', 'type', 'name', 'expert', 'dontDelete', 'color', 'icon']; // prettier-ignore
            for (const key of Object.keys(c)) {
                assert.ok(allowed.includes(key), `W1131: ${obj._id} has unsupported common.${key}`);
            }
        }
        const connection = objects.find(o => o._id === 'info.connection').common;
        assert.equal(connection.type, 'boolean');
        assert.equal(connection.role, 'indicator.connected');
    });
});

// ---- admin/jsonConfig.json (M5500, M5000 W5057/W5058, E5040) -------------------------------------------------------

describe('admin/jsonConfig.json (checker M5500)', () => {
    it('is a tabs config with i18n enabled whose tabs are panels (W5015/S5619, E5505/E5506)', () => {
        assert.equal(jsonConfig.i18n, true);
        assert.equal(jsonConfig.type, 'tabs');
        for (const [key, tab] of Object.entries(jsonConfig.items)) {
            assert.equal(tab.type, 'panel', `tab ${key} must be a panel`);
            const allowed = [
                'type',
                'collapsable',
                'color',
                'icon',
                'innerStyle',
                'items',
                'label',
                'hidden',
                'disabled',
                'style',
                'expertMode',
            ];
            for (const attr of Object.keys(tab)) {
                assert.ok(allowed.includes(attr), `E5503: unexpected attribute "${attr}" on tab ${key}`);
            }
        }
    });

    it('uses only known components (E5502/E5504)', () => {
        walkJsonConfig(jsonConfig, (node, key, where) => {
            if (node === jsonConfig || node.type === 'panel') {
                return;
            }
            assert.ok(node.type, `E5502: no type at ${where}`);
            assert.ok(KNOWN_COMPONENTS.has(node.type), `E5504: unknown component "${node.type}" at ${where}`);
        });
    });

    it('gives every component all of xs/sm/md/lg/xl, 1–12, non-increasing, xs = 12 (E5507/E5509/E5511/W5508)', () => {
        let checked = 0;
        walkJsonConfig(jsonConfig, (node, key, where, inTable) => {
            if (
                inTable ||
                node === jsonConfig ||
                ['panel', 'tabs'].includes(node.type) ||
                SIZE_OPTIONAL.has(node.type)
            ) {
                return;
            }
            checked++;
            const sizes = ['xs', 'sm', 'md', 'lg', 'xl'];
            for (const size of sizes) {
                assert.ok(Number.isInteger(node[size]), `E5507: ${size} missing at ${where}`);
                assert.ok(node[size] >= 1 && node[size] <= 12, `E5511: ${size}=${node[size]} at ${where}`);
            }
            assert.equal(node.xs, 12, `W5508: xs should be 12 at ${where}`);
            for (let i = 1; i < sizes.length; i++) {
                assert.ok(node[sizes[i]] <= node[sizes[i - 1]], `E5509: ${sizes[i]} > ${sizes[i - 1]} at ${where}`);
            }
        });
        assert.ok(checked > 20, `only ${checked} components checked`);
    });

    it('has a "default" of the right type where one is given (W5516)', () => {
        walkJsonConfig(jsonConfig, (node, key, where) => {
            const expected = DEFAULT_TYPES[node.type];
            if (node.default !== undefined && expected) {
                assert.equal(typeof node.default, expected, `W5516: default at ${where}`);
            }
        });
    });

    it('has no example settings (E5040)', () => {
        assert.ok(!('option1' in native) && !('option2' in native));
    });

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

    it('lists password fields in encryptedNative and protectedNative (W5057/W5058)', () => {
        for (const [key, uses] of Object.entries(inputs)) {
            if (uses.some(u => u.node.type === 'password')) {
                assert.ok(encryptedNative.includes(key), `W5058: password "${key}" not in encryptedNative`);
                assert.ok(protectedNative.includes(key), `W5057: password "${key}" not in protectedNative`);
            }
        }
    });
});

// ---- admin/i18n (M5600) --------------------------------------------------------------------------------------------

describe('admin/i18n (checker M5600)', () => {
    it('has a short-format file per language and no long-format files (E5602, E5600/S5601)', () => {
        for (const lang of LANGUAGES) {
            assert.ok(exists(`admin/i18n/${lang}.json`), `E5602: admin/i18n/${lang}.json missing`);
            assert.ok(!exists(`admin/i18n/${lang}/translations.json`), `E5600: do not mix ${lang}/translations.json`);
        }
    });

    it('has exactly the English keys in every language, all non-empty strings (W5604/W5605)', () => {
        const enKeys = Object.keys(en).sort();
        assert.ok(enKeys.length > 0);
        for (const lang of LANGUAGES) {
            assert.deepEqual(
                Object.keys(i18n[lang]).sort(),
                enKeys,
                `W5604/W5605: keys of ${lang}.json differ from en.json`,
            );
            for (const [key, value] of Object.entries(i18n[lang])) {
                assert.ok(typeof value === 'string' && value.trim(), `${lang}.json: "${key}" is empty`);
            }
        }
    });

    it('is really translated (W5606, and no language mostly copied from English)', () => {
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

    it('has every label/help/text/title used in jsonConfig as a key in en.json, and no unused keys (W5612)', () => {
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

describe('README.md (checker M6000)', () => {
    const readme = () => {
        assert.ok(exists('README.md'), 'README.md does not exist yet');
        return readText('README.md');
    };

    it('has exactly one H1 (E6005)', () => {
        const h1 = markdownLines(readme()).filter(l => /^#\s/.test(l));
        assert.equal(h1.length, 1, `found ${h1.length} H1 headings`);
    });

    it('has a Changelog with the WORK IN PROGRESS placeholder and an entry for the current version (E6007/E6025/E6026)', () => {
        const text = readme();
        const start = text.search(/^## Changelog\s*$/m);
        assert.ok(start >= 0, '"## Changelog" missing');
        const rest = text.slice(start + 1);
        const next = rest.search(/^## /m);
        const changelog = next >= 0 ? rest.slice(0, next) : rest;
        assert.ok(
            changelog.includes('### **WORK IN PROGRESS**'),
            'the "### **WORK IN PROGRESS**" placeholder is missing',
        );
        const headings = markdownLines(changelog).filter(l => /^### /.test(l));
        const current = headings.some(
            h =>
                h.trim() === '### **WORK IN PROGRESS**' ||
                h.startsWith(`### ${pkg.version} `) ||
                h.trim() === `### ${pkg.version}`,
        );
        assert.ok(current, `no "### **WORK IN PROGRESS**" or "### ${pkg.version} (date)" entry`);
    });

    it('ends with "## License" holding the copyright with the current year (W6021, E6033/W6034)', () => {
        const h2 = markdownLines(readme()).filter(l => /^##\s/.test(l));
        assert.ok(h2.length > 0);
        assert.match(h2[h2.length - 1], /^## License\s*$/, `last section is "${h2[h2.length - 1]}"`);
        const license = readme().slice(readme().lastIndexOf('## License'));
        assert.match(license, /Copyright \(c\)/);
        assert.ok(license.includes(String(CURRENT_YEAR)), `no copyright year ${CURRENT_YEAR} in the License section`);
    });

    it('has no npm/GitHub install instructions and links to meshtastic.org (E6012/E6013)', () => {
        const text = readme();
        assert.doesNotMatch(text, /\biob(roker)?\s+(url|add|install)\s+https?:/i, 'E6013: GitHub install instructions');
        assert.doesNotMatch(text, /npm\s+(i|install)\s+iobroker\.meshtastic/i, 'E6012: npm install instructions');
        assert.match(text, /https?:\/\/(www\.)?meshtastic\.org/, 'link to the maker site (meshtastic.org)');
        assert.ok(!exists('CHANGELOG.md'), 'W6017: use CHANGELOG_OLD.md instead of CHANGELOG.md');
    });
});

describe('LICENSE (checker M7000)', () => {
    it('exists with the full license text and the current copyright year (E7000/E7001)', () => {
        assert.ok(exists('LICENSE'), 'E7000');
        const text = readText('LICENSE');
        if (/^GPL-3\.0/.test(pkg.license)) {
            assert.match(text, /GNU GENERAL PUBLIC LICENSE\s+Version 3, 29 June 2007/);
            assert.match(text, /END OF TERMS AND CONDITIONS/, 'full GPL-3.0 text expected');
        }
        assert.match(
            text,
            new RegExp(`Copyright \\(c\\) (\\d{4}-)?${CURRENT_YEAR}`),
            `no "Copyright (c) ${CURRENT_YEAR}"`,
        );
    });
});

// ---- package.json (M0000, M9000) -----------------------------------------------------------------------------------

describe('package.json (checker M0000/M9000)', () => {
    it('has name, version, license, repository, main and engines consistent with io-package (E0029, W0028)', () => {
        assert.equal(pkg.name, 'iobroker.meshtastic');
        assert.equal(pkg.license, common.licenseInformation.license);
        assert.equal(pkg.repository.type, 'git');
        assert.ok(pkg.repository.url.includes('iobroker-community-adapters/ioBroker.meshtastic'));
        assert.ok(pkg.main, 'main is required');
        assert.ok(pkg.engines && pkg.engines.node, 'engines.node is required');
        const min = /(\d+)/.exec(pkg.engines.node);
        assert.ok(min && Number(min[1]) >= 20, 'E0029: engines.node must require >= 20');
        assert.ok(pkg.author && (typeof pkg.author === 'string' || pkg.author.name), 'author');
        assert.doesNotMatch(JSON.stringify(pkg.author), /noreply\.github\.com/, 'W4052: no GitHub noreply email');
    });

    it('has no install/postinstall/prepare scripts (E0092–E0094)', () => {
        for (const script of ['install', 'postinstall', 'preinstall', 'prepare', 'preprepare', 'postprepare']) {
            assert.equal((pkg.scripts || {})[script], undefined, `script "${script}" is not allowed`);
        }
        for (const script of ['build', 'check', 'lint', 'test:package', 'test:integration']) {
            assert.ok(pkg.scripts[script], `script "${script}" is used by the CI actions`);
        }
    });

    it('has no forbidden or pinned dependencies (E0044/W0043/W0056, blacklist)', () => {
        const deps = pkg.dependencies || {};
        const devDeps = pkg.devDependencies || {};
        for (const name of [
            'iobroker.js-controller',
            'npm',
            'iobroker',
            'admin',
            '@iobroker/plugin-sentry',
            '@iobroker/testing',
            '@iobroker/adapter-dev',
            '@alcalzone/release-script',
            'typescript',
            'mocha',
            'eslint',
        ]) {
            // prettier-ignore
            assert.equal(deps[name], undefined, `"${name}" must not be a dependency`);
        }
        for (const name of Object.keys(deps)) {
            assert.ok(!name.startsWith('@types/'), `${name} belongs in devDependencies`);
        }
        assert.ok(deps['@iobroker/adapter-core'], '@iobroker/adapter-core must be a dependency');
        assert.ok(!devDeps['@iobroker/adapter-core'], 'adapter-core must not be a devDependency');
        assert.ok(devDeps['@iobroker/testing'], 'E3000: @iobroker/testing devDependency');
        for (const [name, range] of Object.entries(deps)) {
            assert.ok(!/^(\d|=)/.test(range), `E0044: exact version for ${name}`);
            assert.ok(!/github|git\+|^[\w-]+\/[\w.-]+$/.test(range), `W0043: GitHub dependency ${name}`);
            assert.notEqual(range, '*', `W0056: "*" for ${name}`);
        }
    });

    it('publishes admin (jsonConfig, i18n, icon), io-package.json and LICENSE, and nothing of src/test (E9502/E9507/W9501)', function () {
        this.timeout(60000);
        assert.ok(Array.isArray(pkg.files), 'E9502: files whitelist');
        assert.ok(!exists('.npmignore'), 'W9501: use either files or .npmignore');
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

describe('repository files (checker M3000/M4000/M5000/M8900)', () => {
    it('.vscode/settings.json uses the exact schema URLs (E4041/E4043)', () => {
        const settings = readJson('.vscode/settings.json');
        const urls = settings['json.schemas'].map(s => s.url);
        assert.ok(
            urls.includes(
                'https://raw.githubusercontent.com/ioBroker/ioBroker.js-controller/master/schemas/io-package.json',
            ),
        );
        assert.ok(
            urls.includes(
                'https://raw.githubusercontent.com/ioBroker/ioBroker.admin/master/packages/jsonConfig/schemas/jsonConfig.json',
            ),
        );
    });

    it('.releaseconfig.json plugins are devDependencies (W5018, E5024–E5036)', () => {
        const config = readJson('.releaseconfig.json');
        assert.ok(Array.isArray(config.plugins));
        for (const plugin of config.plugins) {
            assert.ok(
                pkg.devDependencies[`@alcalzone/release-script-plugin-${plugin}`],
                `plugin ${plugin} is not a devDependency`,
            );
        }
        assert.ok(pkg.devDependencies['@alcalzone/release-script']);
        assert.ok(config.plugins.includes('iobroker') && config.plugins.includes('license'));
    });

    it('the workflow follows the checker rules (E3002–E3027, W3004/W3005/W3009, E3016/E3022, S3018, W3019)', function () {
        const rel = '.github/workflows/test-and-release.yml';
        assert.ok(exists(rel), 'E3002');
        const wf = loadYaml(rel);
        if (!wf) {
            this.skip();
        }
        assert.equal(wf.name, 'Test and Release', 'W3004');
        const on = wf.on || wf[true]; // YAML 1.1 parsers read `on` as true
        assert.deepEqual(on.pull_request, {}, 'W3005');
        assert.ok(on.push.branches.includes('main') || on.push.branches.includes('*'), 'E3007/E3037');
        for (const tag of ['v[0-9]+.[0-9]+.[0-9]+', 'v[0-9]+.[0-9]+.[0-9]+-**']) {
            assert.ok(on.push.tags.map(t => t.replaceAll('v?', 'v')).includes(tag), `E3040: tag pattern ${tag}`);
        }
        assert.equal(wf.concurrency.group, '${{ github.ref }}', 'W3009');
        assert.equal(wf.concurrency['cancel-in-progress'], true, 'W3009');
        const { jobs } = wf;
        const step = (job, action) =>
            jobs[job].steps.find(s => typeof s.uses === 'string' && s.uses.startsWith(action));
        const check = step('check-and-lint', 'ioBroker/testing-action-check@');
        assert.ok(check && check.uses.endsWith('@v2'), 'W3013/W3028: testing-action-check@v2');
        assert.ok(parseInt(check.with['node-version'], 10) >= 22, 'E3020: check-and-lint on Node >= 22');
        assert.equal(check.with.lint, true, 'S3045');
        assert.equal(check.with['type-checking'], true);
        const adapter = step('adapter-tests', 'ioBroker/testing-action-adapter@');
        assert.ok(adapter && adapter.uses.endsWith('@v1'), 'W3015');
        const matrix = jobs['adapter-tests'].strategy.matrix;
        for (const v of ['20', '22', '24']) {
            assert.ok(
                matrix['node-version'].some(n => String(n).startsWith(v)),
                `E3025: node ${v}`,
            );
        }
        for (const os of ['ubuntu-latest', 'windows-latest', 'macos-latest']) {
            assert.ok(matrix.os.includes(os), `E3027: ${os}`);
        }
        for (const [name, job] of [
            ['check', check],
            ['adapter', adapter],
        ]) {
            for (const key of ['test-command', 'unit-test-command', 'integration-test-command', 'lint-command']) {
                assert.equal(job.with[key], undefined, `W3048/W3049: ${name} overrides ${key}`);
            }
        }
        const deploy = jobs.deploy;
        assert.ok(deploy, 'S3012');
        assert.ok(deploy.needs.includes('check-and-lint') && deploy.needs.includes('adapter-tests'), 'E3016');
        assert.equal(deploy.permissions.contents, 'write', 'S3018');
        assert.equal(deploy.permissions['id-token'], 'write', 'S3018');
        const deployStep = step('deploy', 'ioBroker/testing-action-deploy@');
        assert.ok(deployStep && deployStep.uses.endsWith('@v1'), 'W3017');
        assert.ok(parseInt(deployStep.with['node-version'], 10) >= 24, 'E3022: deploy on Node >= 24');
        assert.equal(deployStep.with['npm-token'], undefined, 'W3019: trusted publishing needs no npm-token');
        for (const job of Object.values(jobs)) {
            assert.doesNotMatch(String(job.if || ''), /always\(\)/, 'E3057');
        }
    });

    it('dependabot covers npm and github-actions with cooldown, limits and the @types/node ignore (E8904/W8915–W8917/S8908)', function () {
        const config = loadYaml('.github/dependabot.yml');
        if (!config) {
            this.skip();
        }
        const npm = config.updates.find(u => u['package-ecosystem'] === 'npm');
        const actions = config.updates.find(u => u['package-ecosystem'] === 'github-actions');
        assert.ok(npm, 'E8904');
        assert.ok(actions, 'W8916');
        const cooldown = npm.cooldown && (npm.cooldown['default-days'] ?? npm.cooldown.default ?? npm.cooldown);
        assert.ok(typeof cooldown === 'number' && cooldown >= 5, 'W8915: cooldown of at least 5 (7) days');
        const ignore = (npm.ignore || []).find(i => i['dependency-name'] === '@types/node');
        assert.ok(ignore && [].concat(ignore['update-types']).includes('version-update:semver-major'), 'W8917');
        for (const entry of config.updates) {
            assert.ok(entry['open-pull-requests-limit'] >= 15, 'S8908: open-pull-requests-limit >= 15');
            assert.ok(!(entry.schedule.interval === 'monthly' && entry.schedule.day), 'W8909');
        }
    });

    it('has the GitHub issue templates', () => {
        for (const rel of ['bug_report.yml', 'feature_request.yml', 'config.yml']) {
            assert.ok(exists(`.github/ISSUE_TEMPLATE/${rel}`), rel);
        }
    });
});
