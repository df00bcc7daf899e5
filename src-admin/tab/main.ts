/**
 * The Meshtastic admin tab: nodes, map and chat of one adapter instance, live.
 *
 * Data: the adapter answers `tabPoll` with what changed since the last poll (node rows, chat entries) from its
 * in-memory mesh, so a poll costs the same for 10 or 10,000 nodes; polls run every few seconds and at once when one
 * of the instance's message or connection states changes (subscribed through the admin connection).
 */
import './style.css';
import { ChatView, type SendRequest } from './chat';
import { AdminConnection, RequestTimeout } from './connection';
import { NodeDetails, type NodeDetailsAnswer } from './details';
import { h } from './dom';
import { pickLanguage, translator } from './i18n';
import { MeshMap } from './map';
import { type PollAnswer, TabStore } from './store';
import { NodeTable } from './table';

const POLL_MS = 3000;
const POLL_HIDDEN_MS = 15_000;

type View = 'nodes' | 'map' | 'chat';

function instanceFromUrl(): string {
    const params = new URLSearchParams(window.location.search);
    const explicit = params.get('instance');
    if (explicit && /^\d+$/.test(explicit)) {
        return explicit;
    }
    // Admin also puts the bare instance number first: `tab.html?0&...`.
    const bare = window.location.search.replace(/^\?/, '').split('&')[0];
    return /^\d+$/.test(bare) ? bare : '0';
}

class TabApp {
    private readonly instance = `meshtastic.${instanceFromUrl()}`;
    private readonly store = new TabStore();
    private readonly root: HTMLElement;
    private connection?: AdminConnection;
    private t = translator('en');
    private language = 'en';
    private table?: NodeTable;
    private map?: MeshMap;
    private chat?: ChatView;
    private details?: NodeDetails;
    private view: View = 'nodes';
    private polling = false;
    private pollAgain = false;
    private pollTimer = 0;
    private failures = 0;
    private languageLoaded = false;
    private readonly status: HTMLElement = h('div', { className: 'status-bar' });
    private readonly banner: HTMLElement = h('div', { className: 'banner', hidden: true });
    private readonly views: Record<View, HTMLElement> = {
        nodes: h('div', { id: 'view-nodes', className: 'view' }),
        map: h('div', { id: 'view-map', className: 'view', hidden: true }),
        chat: h('div', { id: 'view-chat', className: 'view', hidden: true }),
    };

    constructor() {
        const params = new URLSearchParams(window.location.search);
        const dark = params.get('react') === 'dark' || params.get('theme') === 'dark';
        document.body.classList.add(dark ? 'theme-dark' : 'theme-light');
        this.root = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
        this.root.dataset.state = 'loading';
        this.root.dataset.connected = 'false';
    }

    start(): void {
        try {
            this.connection = new AdminConnection(connected => this.onConnection(connected));
        } catch (e) {
            this.root.textContent = String(e instanceof Error ? e.message : e);
            this.root.dataset.state = 'error';
            return;
        }
        this.connection.onStateChange(id => {
            if (id.startsWith(`${this.instance}.messages.`) || id === `${this.instance}.info.connection`) {
                this.schedulePoll(150);
            }
        });
        this.connection.subscribe(`${this.instance}.messages.*`);
        this.connection.subscribe(`${this.instance}.info.connection`);
        document.addEventListener('visibilitychange', () => {
            if (document.visibilityState === 'visible') {
                this.schedulePoll(0);
            }
        });
        this.buildUi();
    }

    private async onConnection(connected: boolean): Promise<void> {
        this.root.dataset.connected = String(connected);
        if (!connected) {
            this.showBanner(this.t('adminOffline'));
            return;
        }
        if (!this.languageLoaded) {
            // First connect: the admin language decides the texts.
            this.languageLoaded = true;
            await this.loadLanguage();
        }
        this.showBanner('');
        this.schedulePoll(0);
    }

    private async loadLanguage(): Promise<void> {
        let language: string | undefined;
        try {
            const config = await this.connection?.getObject<{ common?: { language?: string } }>('system.config');
            language = config?.common?.language;
        } catch {
            // keep the browser's language
        }
        const picked = pickLanguage(language, navigator.language);
        if (picked !== this.language) {
            this.language = picked;
            this.t = translator(picked);
            document.documentElement.lang = picked;
            this.buildUi();
        }
    }

    private buildUi(): void {
        const t = this.t;
        this.table = new NodeTable(this.store, t, this.language, hex => this.select(hex));
        this.map = new MeshMap(this.store, t, hex => this.select(hex));
        this.details = new NodeDetails(this.store, t, this.language, {
            close: () => this.closeDetails(),
            showOnMap: hex => {
                this.switchView('map');
                this.map?.focus(hex);
            },
            message: hex => {
                this.switchView('chat');
                this.chat?.select(`dm:${hex}`);
            },
            select: hex => this.select(hex),
        });
        this.chat = new ChatView(this.store, t, this.language, request => this.send(request));
        this.views.nodes.replaceChildren(this.table.element);
        this.views.map.replaceChildren(this.map.element);
        this.views.chat.replaceChildren(this.chat.element);
        const nav = h('nav', { className: 'tabs', role: 'tablist' });
        for (const view of ['nodes', 'map', 'chat'] as View[]) {
            const button = h(
                'button',
                { className: `tab${view === this.view ? ' active' : ''}`, 'data-view': view, role: 'tab' },
                t(view),
            );
            button.addEventListener('click', () => this.switchView(view));
            nav.appendChild(button);
        }
        const header = h(
            'header',
            { className: 'header' },
            h('div', { className: 'brand' }, 'Meshtastic'),
            nav,
            this.status,
        );
        this.root.replaceChildren(
            header,
            this.banner,
            h(
                'main',
                { className: 'content' },
                this.views.nodes,
                this.views.map,
                this.views.chat,
                this.details.element,
            ),
        );
        this.switchView(this.view);
        this.renderAll();
    }

    private switchView(view: View): void {
        this.view = view;
        for (const [name, element] of Object.entries(this.views)) {
            element.hidden = name !== view;
        }
        for (const button of this.root.querySelectorAll<HTMLElement>('[data-view]')) {
            button.classList.toggle('active', button.dataset.view === view);
            button.setAttribute('aria-selected', String(button.dataset.view === view));
        }
        if (view === 'map') {
            this.map?.show();
        } else if (view === 'chat') {
            this.chat?.render(true);
        } else {
            this.table?.refresh(true);
        }
    }

    private select(hex: string): void {
        this.table?.setSelected(hex);
        this.details?.open(hex);
        void this.loadDetails();
    }

    private closeDetails(): void {
        this.details?.hide();
        this.table?.setSelected('');
    }

    private async loadDetails(): Promise<void> {
        const hex = this.details?.hex;
        if (!hex || !this.connection) {
            return;
        }
        try {
            const answer = await this.connection.sendTo<NodeDetailsAnswer>(this.instance, 'tabNode', { id: hex });
            this.details?.render(answer);
        } catch {
            // the next poll retries
        }
    }

    private async send(request: SendRequest): Promise<{ error?: string }> {
        if (!this.connection) {
            return { error: 'not connected' };
        }
        this.schedulePoll(300);
        const answer = await this.connection.sendTo<{ error?: string }>(
            this.instance,
            'send',
            { ...request, wantAck: true },
            120_000,
        );
        this.schedulePoll(0);
        return answer ?? {};
    }

    private schedulePoll(delayMs: number): void {
        window.clearTimeout(this.pollTimer);
        this.pollTimer = window.setTimeout(() => void this.poll(), delayMs);
    }

    private async poll(): Promise<void> {
        if (this.polling) {
            this.pollAgain = true;
            return;
        }
        const connection = this.connection;
        if (!connection?.isConnected) {
            this.schedulePoll(POLL_MS);
            return;
        }
        this.polling = true;
        try {
            const answer = await connection.sendTo<PollAnswer>(
                this.instance,
                'tabPoll',
                { since: this.store.rev, epoch: this.store.epoch },
                20_000,
            );
            if (answer?.error) {
                this.showBanner(answer.error);
            } else if (this.store.apply(answer)) {
                this.failures = 0;
                this.showBanner('');
                this.root.dataset.state = 'ready';
                this.renderAll();
                if (this.details?.hex && this.store.lastChanged.includes(this.details.hex)) {
                    void this.loadDetails();
                }
                if (window.parent !== window) {
                    try {
                        window.parent.postMessage('iobLoaded', '*');
                    } catch {
                        // not in admin
                    }
                }
            }
        } catch (e) {
            this.failures++;
            if (e instanceof RequestTimeout && this.failures >= 2) {
                this.showBanner(this.t('notRunning'));
            }
        } finally {
            this.polling = false;
            const again = this.pollAgain;
            this.pollAgain = false;
            this.schedulePoll(again ? 0 : document.visibilityState === 'visible' ? POLL_MS : POLL_HIDDEN_MS);
        }
    }

    private renderAll(): void {
        this.renderStatus();
        if (this.view === 'nodes') {
            this.table?.refresh();
        } else if (this.view === 'map') {
            this.map?.sync();
        } else {
            this.chat?.render();
        }
    }

    private renderStatus(): void {
        const t = this.t;
        const counts = this.store.presenceCounts();
        const stats = this.store.stats;
        this.status.replaceChildren(
            h(
                'span',
                { className: `pill ${this.store.connected ? 'ok' : 'bad'}`, 'data-testid': 'connection' },
                this.store.connected ? t('brokerUp') : t('brokerDown'),
            ),
            ...(['mqtt', 'rf', 'offline'] as const).map(p =>
                h(
                    'span',
                    { className: 'pill', title: t(`presence_${p}`) },
                    h('span', { className: `dot presence-${p}` }),
                    String(counts[p]),
                ),
            ),
            h(
                'span',
                { className: 'muted stats' },
                `${stats.received ?? 0} ${t('received')} · ${stats.decoded ?? 0} ${t('decoded')}`,
            ),
        );
    }

    private showBanner(text: string): void {
        this.banner.textContent = text;
        this.banner.hidden = text === '';
    }
}

new TabApp().start();
