/** Objects and values of a node change (`nodes.<hex>.*`), by section. */
import type { TelemetryVariant } from '../../codec/types';
import type { NodeRecord, NodeSection } from '../../mesh/types';
import { NODE_STATES, type NodeStateSpec, TELEMETRY_FOLDER, TELEMETRY_METRICS, TELEMETRY_VARIANTS } from '../table';
import { cleanFloat, usable } from '../table/values';
import { type Batch, type ContainerEntry, type ObjectEntry, specEntry, type StateEntry } from './entries';
import { containerEntry, metricCommon, metricId, nodeIds, specId } from './node-ids';

const ALL_SECTIONS: readonly NodeSection[] = [
    'info',
    'position',
    'radio',
    'status',
    'neighbors',
    'messages',
    ...TELEMETRY_VARIANTS.map(v => `telemetry.${v}` as const),
    'traceroute',
    'detection',
    'alert',
    'rangeTest',
];

/** Every node section, for a full rewrite. */
export function allNodeSections(): ReadonlySet<NodeSection> {
    return new Set(ALL_SECTIONS);
}

const SPECS_BY_SECTION = new Map<NodeSection, NodeStateSpec[]>();
for (const spec of NODE_STATES) {
    const list = SPECS_BY_SECTION.get(spec.section) ?? [];
    list.push(spec);
    SPECS_BY_SECTION.set(spec.section, list);
}

function telemetryVariantOf(section: NodeSection): TelemetryVariant | undefined {
    const prefix = `${TELEMETRY_FOLDER}.`;
    if (!section.startsWith(prefix)) {
        return undefined;
    }
    const variant = section.slice(prefix.length);
    return TELEMETRY_VARIANTS.find(v => v === variant);
}

/** Relative container ids (inside the device) needed by a section, parents first. */
function sectionContainers(section: NodeSection): string[] {
    const variant = telemetryVariantOf(section);
    if (variant) {
        return [TELEMETRY_FOLDER, `${TELEMETRY_FOLDER}.${variant}`];
    }
    const out = new Set<string>();
    for (const spec of SPECS_BY_SECTION.get(section) ?? []) {
        // every ancestor, parents first
        for (let dot = spec.id.indexOf('.'); dot > 0; dot = spec.id.indexOf('.', dot + 1)) {
            out.add(spec.id.slice(0, dot));
        }
    }
    return [...out];
}

/** The stored value of a telemetry reading (converted, float-cleaned), undefined when it is no usable number. */
function metricValue(variant: TelemetryVariant, key: string, raw: unknown): number | undefined {
    if (typeof raw !== 'number') {
        return undefined;
    }
    const convert = TELEMETRY_METRICS[variant][key]?.convert;
    const value = cleanFloat(convert ? convert(raw) : raw);
    return usable(value) ? value : undefined;
}

/** Container ids (relative to the device) of each section, parents first; computed once. */
const SECTION_CONTAINERS = new Map<NodeSection, readonly string[]>(ALL_SECTIONS.map(s => [s, sectionContainers(s)]));

/**
 * True when the node has at least one value to write in `section` (its containers are created only then: a node that
 * never sent air quality gets no empty `telemetry.airQuality` channel).
 */
export function sectionHasData(node: Readonly<NodeRecord>, section: NodeSection): boolean {
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
        if (usable(spec.get(node))) {
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
export function nodeObjects(node: Readonly<NodeRecord>, sections: ReadonlySet<NodeSection>): ObjectEntry[] {
    const ids = nodeIds(node);
    if (ids === undefined) {
        return [];
    }
    const out: ObjectEntry[] = [...ids.head];
    // Containers are one or two levels deep: all first levels, then all second levels, keeps parents first.
    let nested: ContainerEntry[] | undefined;
    for (const section of sections) {
        if (!sectionHasData(node, section)) {
            continue;
        }
        for (const rel of SECTION_CONTAINERS.get(section) ?? []) {
            const entry = containerEntry(ids, rel);
            if (entry === undefined) {
                continue;
            }
            const list: ObjectEntry[] = rel.includes('.') ? (nested ??= []) : out;
            if (!list.includes(entry)) {
                list.push(entry);
            }
        }
    }
    return nested ? out.concat(nested) : out;
}

/** State values of the given sections of a node (undefined values are skipped: no object for data never sent). */
export function nodeStateValues(node: Readonly<NodeRecord>, sections: ReadonlySet<NodeSection>): StateEntry[] {
    const ids = nodeIds(node);
    if (ids === undefined) {
        return [];
    }
    const out: StateEntry[] = [];
    for (const section of sections) {
        const variant = telemetryVariantOf(section);
        if (variant) {
            const metrics = node.telemetry[variant];
            if (metrics) {
                for (const key in metrics) {
                    const value = metricValue(variant, key, metrics[key]);
                    if (value !== undefined) {
                        out.push({ id: metricId(ids, variant, key), common: metricCommon(variant, key), value });
                    }
                }
            }
        }
        for (const spec of SPECS_BY_SECTION.get(section) ?? []) {
            const value = spec.get(node);
            if (usable(value)) {
                out.push(specEntry(specId(ids, spec), spec, value));
            }
        }
    }
    return out;
}

/** Objects and values of a node change. */
export function nodeBatch(node: Readonly<NodeRecord>, sections: ReadonlySet<NodeSection>): Batch {
    return { objects: nodeObjects(node, sections), states: nodeStateValues(node, sections) };
}
