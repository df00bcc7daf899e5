"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.allNodeSections = allNodeSections;
exports.sectionHasData = sectionHasData;
exports.nodeObjects = nodeObjects;
exports.nodeStateValues = nodeStateValues;
exports.nodeBatch = nodeBatch;
const table_1 = require("../table");
const values_1 = require("../table/values");
const entries_1 = require("./entries");
const node_ids_1 = require("./node-ids");
const ALL_SECTIONS = [
    'info',
    'position',
    'radio',
    'status',
    'neighbors',
    'messages',
    ...table_1.TELEMETRY_VARIANTS.map(v => `telemetry.${v}`),
    'traceroute',
    'detection',
    'alert',
    'rangeTest',
];
/** Every node section, for a full rewrite. */
function allNodeSections() {
    return new Set(ALL_SECTIONS);
}
const SPECS_BY_SECTION = new Map();
for (const spec of table_1.NODE_STATES) {
    const list = SPECS_BY_SECTION.get(spec.section) ?? [];
    list.push(spec);
    SPECS_BY_SECTION.set(spec.section, list);
}
function telemetryVariantOf(section) {
    const prefix = `${table_1.TELEMETRY_FOLDER}.`;
    if (!section.startsWith(prefix)) {
        return undefined;
    }
    const variant = section.slice(prefix.length);
    return table_1.TELEMETRY_VARIANTS.find(v => v === variant);
}
/** Relative container ids (inside the device) needed by a section, parents first. */
function sectionContainers(section) {
    const variant = telemetryVariantOf(section);
    if (variant) {
        return [table_1.TELEMETRY_FOLDER, `${table_1.TELEMETRY_FOLDER}.${variant}`];
    }
    const out = new Set();
    for (const spec of SPECS_BY_SECTION.get(section) ?? []) {
        // every ancestor, parents first
        for (let dot = spec.id.indexOf('.'); dot > 0; dot = spec.id.indexOf('.', dot + 1)) {
            out.add(spec.id.slice(0, dot));
        }
    }
    return [...out];
}
/** The stored value of a telemetry reading (converted, float-cleaned), undefined when it is no usable number. */
function metricValue(variant, key, raw) {
    if (typeof raw !== 'number') {
        return undefined;
    }
    const convert = table_1.TELEMETRY_METRICS[variant][key]?.convert;
    const value = (0, values_1.cleanFloat)(convert ? convert(raw) : raw);
    return (0, values_1.usable)(value) ? value : undefined;
}
/** Container ids (relative to the device) of each section, parents first; computed once. */
const SECTION_CONTAINERS = new Map(ALL_SECTIONS.map(s => [s, sectionContainers(s)]));
/**
 * True when the node has at least one value to write in `section` (its containers are created only then: a node that
 * never sent air quality gets no empty `telemetry.airQuality` channel).
 */
function sectionHasData(node, section) {
    const variant = telemetryVariantOf(section);
    if (variant) {
        const metrics = node.telemetry[variant];
        if (metrics) {
            for (const key in metrics) {
                if (metricValue(variant, key, metrics[key]) !== undefined) {
                    return true;
                }
            }
        }
    }
    for (const spec of SPECS_BY_SECTION.get(section) ?? []) {
        if ((0, values_1.usable)(spec.get(node))) {
            return true;
        }
    }
    return false;
}
/**
 * The device object of a node, its `send`/`sendStatus` state objects, plus the containers of those given sections that
 * have data (`sectionHasData`), parents first (`nodes` folder, `nodes.<hex>` device, e.g. `nodes.<hex>.telemetry`
 * folder, `nodes.<hex>.telemetry.device` channel). Empty for an invalid hex.
 */
function nodeObjects(node, sections) {
    const ids = (0, node_ids_1.nodeIds)(node);
    if (ids === undefined) {
        return [];
    }
    const out = [...ids.head];
    // Containers are one or two levels deep: all first levels, then all second levels, keeps parents first.
    let nested;
    for (const section of sections) {
        if (!sectionHasData(node, section)) {
            continue;
        }
        for (const rel of SECTION_CONTAINERS.get(section) ?? []) {
            const entry = (0, node_ids_1.containerEntry)(ids, rel);
            if (entry === undefined) {
                continue;
            }
            const list = rel.includes('.') ? (nested ??= []) : out;
            if (!list.includes(entry)) {
                list.push(entry);
            }
        }
    }
    return nested ? out.concat(nested) : out;
}
/** State values of the given sections of a node (undefined values are skipped: no object for data never sent). */
function nodeStateValues(node, sections) {
    const ids = (0, node_ids_1.nodeIds)(node);
    if (ids === undefined) {
        return [];
    }
    const out = [];
    for (const section of sections) {
        const variant = telemetryVariantOf(section);
        if (variant) {
            const metrics = node.telemetry[variant];
            if (metrics) {
                for (const key in metrics) {
                    const value = metricValue(variant, key, metrics[key]);
                    if (value !== undefined) {
                        out.push({ id: (0, node_ids_1.metricId)(ids, variant, key), common: (0, node_ids_1.metricCommon)(variant, key), value });
                    }
                }
            }
        }
        for (const spec of SPECS_BY_SECTION.get(section) ?? []) {
            const value = spec.get(node);
            if ((0, values_1.usable)(value)) {
                out.push((0, entries_1.specEntry)((0, node_ids_1.specId)(ids, spec), spec, value));
            }
        }
    }
    return out;
}
/** Objects and values of a node change. */
function nodeBatch(node, sections) {
    return { objects: nodeObjects(node, sections), states: nodeStateValues(node, sections) };
}
