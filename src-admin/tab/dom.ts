/** Tiny DOM helpers: text always goes in as text nodes, so names and messages from the mesh are never HTML. */

type Attrs = Record<string, string | number | boolean | undefined | null>;
type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attrs: Attrs = {},
    ...children: Child[]
): HTMLElementTagNameMap[K] {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
        if (value === undefined || value === null || value === false) {
            continue;
        }
        if (name === 'className') {
            el.className = String(value);
        } else if (value === true) {
            el.setAttribute(name, '');
        } else {
            el.setAttribute(name, String(value));
        }
    }
    append(el, ...children);
    return el;
}

export function append(el: Node, ...children: Child[]): void {
    for (const child of children) {
        if (child === null || child === undefined || child === false) {
            continue;
        }
        el.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
    }
}

export function clear(el: Element): void {
    while (el.firstChild) {
        el.removeChild(el.firstChild);
    }
}

const SVG = 'http://www.w3.org/2000/svg';

/**
 * A small step chart of `[time, value]` points (the adapter records a point when a value changes, so a value holds
 * until the next point). No axes: the caller writes min and max beside it. One point draws a flat line.
 */
export function sparkline(points: readonly [number, number][], width = 160, height = 36): SVGSVGElement {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'sparkline');
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    if (points.length === 0) {
        return svg;
    }
    const t0 = points[0][0];
    const t1 = points[points.length - 1][0];
    let min = Infinity;
    let max = -Infinity;
    for (const [, v] of points) {
        min = Math.min(min, v);
        max = Math.max(max, v);
    }
    const span = max - min;
    const x = (t: number): number => (t1 === t0 ? width - 3 : 3 + ((t - t0) / (t1 - t0)) * (width - 6));
    const y = (v: number): number => (span === 0 ? height / 2 : height - 3 - ((v - min) / span) * (height - 6));
    const coords: string[] = [];
    if (points.length === 1) {
        coords.push(`3,${y(points[0][1]).toFixed(1)}`);
    }
    points.forEach(([t, v], i) => {
        if (i > 0) {
            // Step: the previous value held until this point.
            coords.push(`${x(t).toFixed(1)},${y(points[i - 1][1]).toFixed(1)}`);
        }
        coords.push(`${x(t).toFixed(1)},${y(v).toFixed(1)}`);
    });
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', coords.join(' '));
    line.setAttribute('fill', 'none');
    line.setAttribute('class', 'sparkline-line');
    svg.appendChild(line);
    const [lt, lv] = points[points.length - 1];
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('cx', x(lt).toFixed(1));
    dot.setAttribute('cy', y(lv).toFixed(1));
    dot.setAttribute('r', '2.5');
    dot.setAttribute('class', 'sparkline-dot');
    svg.appendChild(dot);
    return svg;
}
