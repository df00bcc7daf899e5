/**
 * The node table, virtualised: a spacer as tall as all rows and only the rows in (and near) the viewport in the DOM,
 * so 10,000 nodes scroll as smoothly as 10. Rows are re-rendered on scroll and when the data version changes.
 */
import { clear, h } from './dom';
import { fixed, relativeTime, type Translate } from './format';
import type { TextKey } from './i18n';
import { displayName, type NodeRow, type SortKey, type TabStore } from './store';

const ROW_HEIGHT = 34;
const OVERSCAN = 8;

const COLUMNS: { key: SortKey; label: TextKey; className: string }[] = [
    { key: 'presence', label: 'colPresence', className: 'c-presence' },
    { key: 'name', label: 'colName', className: 'c-name' },
    { key: 'short', label: 'colShort', className: 'c-short' },
    { key: 'hex', label: 'colId', className: 'c-hex' },
    { key: 'hw', label: 'colHw', className: 'c-hw' },
    { key: 'lastHeard', label: 'colLastHeard', className: 'c-heard' },
    { key: 'battery', label: 'colBattery', className: 'c-num' },
    { key: 'snr', label: 'colSnr', className: 'c-num' },
    { key: 'hops', label: 'colHops', className: 'c-num' },
    { key: 'gateways', label: 'colGateways', className: 'c-num' },
];

export class NodeTable {
    readonly element: HTMLElement;
    private readonly search: HTMLInputElement;
    private readonly count: HTMLElement;
    private readonly header: HTMLElement;
    private readonly scroller: HTMLElement;
    private readonly spacer: HTMLElement;
    private readonly body: HTMLElement;
    private readonly empty: HTMLElement;
    private sortKey: SortKey = 'lastHeard';
    private sortDir: 'asc' | 'desc' = 'desc';
    private rows: NodeRow[] = [];
    private builtFor = '';
    private renderedRange = '';
    private selected = '';

    constructor(
        private readonly store: TabStore,
        private readonly t: Translate,
        private readonly language: string,
        private readonly onSelect: (hex: string) => void,
    ) {
        this.search = h('input', {
            type: 'search',
            className: 'search',
            placeholder: t('search'),
            'data-testid': 'search',
            'aria-label': t('search'),
            spellcheck: 'false',
        });
        this.search.addEventListener('input', () => this.refresh());
        this.count = h('span', { className: 'count', 'data-testid': 'node-count' });
        this.header = h('div', { className: 'table-row table-head', role: 'row' });
        for (const column of COLUMNS) {
            const cell = h(
                'div',
                {
                    className: `cell ${column.className} sortable`,
                    'data-sort': column.key,
                    role: 'columnheader',
                    tabindex: 0,
                },
                t(column.label),
            );
            const activate = (): void => this.sortBy(column.key);
            cell.addEventListener('click', activate);
            cell.addEventListener('keydown', e => {
                if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    activate();
                }
            });
            this.header.appendChild(cell);
        }
        this.spacer = h('div', { className: 'spacer' });
        this.body = h('div', { className: 'rows', role: 'rowgroup' });
        this.empty = h('div', { className: 'empty', hidden: true }, t('noNodes'));
        this.scroller = h('div', { className: 'scroller', 'data-testid': 'node-scroll' }, this.spacer, this.body);
        this.scroller.addEventListener('scroll', () => this.renderRows(), { passive: true });
        this.body.addEventListener('click', e => {
            const row = (e.target as HTMLElement).closest<HTMLElement>('[data-node]');
            if (row?.dataset.node) {
                this.onSelect(row.dataset.node);
            }
        });
        this.element = h(
            'section',
            { className: 'table', 'data-testid': 'node-table', role: 'table' },
            h('div', { className: 'toolbar' }, this.search, this.count),
            this.header,
            this.scroller,
            this.empty,
        );
        new ResizeObserver(() => this.renderRows(true)).observe(this.scroller);
        this.markSort();
    }

    /** Re-filters and re-sorts when the data or the query changed since the last call. */
    refresh(force = false): void {
        const key = `${this.store.version}|${this.search.value}|${this.sortKey}|${this.sortDir}`;
        if (!force && key === this.builtFor) {
            this.renderRows(true);
            return;
        }
        this.builtFor = key;
        this.rows = this.store.view(this.search.value, this.sortKey, this.sortDir);
        this.count.textContent = this.t('nodeCount', this.rows.length, this.store.nodes.size);
        this.count.dataset.count = String(this.rows.length);
        this.count.dataset.total = String(this.store.nodes.size);
        this.spacer.style.height = `${this.rows.length * ROW_HEIGHT}px`;
        this.empty.hidden = this.store.nodes.size > 0;
        this.renderRows(true);
    }

    setSelected(hex: string): void {
        this.selected = hex;
        this.renderRows(true);
    }

    private sortBy(key: SortKey): void {
        if (this.sortKey === key) {
            this.sortDir = this.sortDir === 'asc' ? 'desc' : 'asc';
        } else {
            this.sortKey = key;
            // Recent, strong, full and well-connected first; names A→Z.
            this.sortDir = ['lastHeard', 'battery', 'snr', 'gateways'].includes(key) ? 'desc' : 'asc';
        }
        this.markSort();
        this.refresh();
    }

    private markSort(): void {
        for (const cell of this.header.querySelectorAll<HTMLElement>('[data-sort]')) {
            const active = cell.dataset.sort === this.sortKey;
            cell.classList.toggle('active', active);
            if (active) {
                cell.dataset.dir = this.sortDir;
                cell.setAttribute('aria-sort', this.sortDir === 'asc' ? 'ascending' : 'descending');
            } else {
                delete cell.dataset.dir;
                cell.removeAttribute('aria-sort');
            }
        }
    }

    private renderRows(force = false): void {
        const height = this.scroller.clientHeight || 600;
        const first = Math.max(0, Math.floor(this.scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
        const last = Math.min(this.rows.length, Math.ceil((this.scroller.scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
        const range = `${first}-${last}`;
        if (!force && range === this.renderedRange) {
            return;
        }
        this.renderedRange = range;
        const now = Date.now();
        const fragment = document.createDocumentFragment();
        for (let i = first; i < last; i++) {
            fragment.appendChild(this.renderRow(this.rows[i], i, now));
        }
        clear(this.body);
        this.body.appendChild(fragment);
    }

    private renderRow(row: NodeRow, index: number, now: number): HTMLElement {
        const hexHead = h('span', { className: 'hex-head' }, `!${row.hex.slice(0, 4)}`);
        const hexTail = h('b', { className: 'hex-tail' }, row.hex.slice(4));
        const el = h(
            'div',
            {
                className: `table-row${row.hex === this.selected ? ' selected' : ''}`,
                role: 'row',
                'data-testid': 'node-row',
                'data-node': row.hex,
                'data-presence': row.presence,
                style: `transform: translateY(${index * ROW_HEIGHT}px)`,
                tabindex: 0,
            },
            h(
                'div',
                { className: 'cell c-presence' },
                h('span', { className: `dot presence-${row.presence}`, title: this.t(`presence_${row.presence}`) }),
                h('span', { className: 'presence-label' }, this.t(`presence_${row.presence}`)),
            ),
            h('div', { className: 'cell c-name', title: displayName(row) }, displayName(row)),
            h('div', { className: 'cell c-short' }, row.shortName),
            h('div', { className: 'cell c-hex' }, hexHead, hexTail),
            h('div', { className: 'cell c-hw', title: row.hwModel }, row.hwModel.replace(/_/g, ' ')),
            h(
                'div',
                { className: 'cell c-heard', title: new Date(row.lastHeard).toLocaleString(this.language) },
                relativeTime(row.lastHeard, now, this.language, this.t),
            ),
            h(
                'div',
                { className: 'cell c-num' },
                row.battery === null ? '–' : row.battery > 100 ? '⚡' : `${row.battery}%`,
            ),
            h('div', { className: 'cell c-num' }, fixed(row.snr, 1, ' dB')),
            h('div', { className: 'cell c-num' }, row.hops === null ? '–' : String(row.hops)),
            h('div', { className: 'cell c-num' }, row.gateways === null ? '–' : String(row.gateways)),
        );
        el.addEventListener('keydown', e => {
            if (e.key === 'Enter') {
                this.onSelect(row.hex);
            }
        });
        return el;
    }
}
