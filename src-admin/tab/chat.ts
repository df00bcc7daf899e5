/**
 * The chat: one conversation per channel and per direct peer, the messages with sender, time and reception, and a
 * send box that goes through the adapter's send path (`sendTo send`); own messages show their delivery status as
 * the adapter reports it (queued → sent → delivered, or failed with the reason).
 */
import { clear, h } from './dom';
import { clock, utf8Length, type Translate } from './format';
import { displayName, type ChatMessage, type Conversation, type TabStore } from './store';

const STATUS_ICON: Record<string, string> = { queued: '🕓', sent: '✓', acked: '✓✓', failed: '⚠' };

export interface SendRequest {
    text: string;
    channel?: string;
    to?: string;
}

/** A text sent from this page that the adapter has not reported back yet. */
interface PendingText {
    text: string;
    conversation: string;
    time: number;
    error?: string;
}

export class ChatView {
    readonly element: HTMLElement;
    private readonly list: HTMLElement;
    private readonly messages: HTMLElement;
    private readonly title: HTMLElement;
    private readonly input: HTMLTextAreaElement;
    private readonly sendButton: HTMLButtonElement;
    private readonly hint: HTMLElement;
    private current = '';
    private extraDm = '';
    private renderedFor = '';
    /** Texts sent from this page and not yet reported back by the adapter. */
    private readonly pending: PendingText[] = [];

    constructor(
        private readonly store: TabStore,
        private readonly t: Translate,
        private readonly language: string,
        private readonly send: (request: SendRequest) => Promise<{ error?: string }>,
    ) {
        this.list = h('nav', { className: 'conversations' });
        this.messages = h('div', { className: 'messages', role: 'log', 'aria-live': 'polite' });
        this.title = h('div', { className: 'chat-title' });
        this.input = h('textarea', {
            rows: 2,
            'data-testid': 'chat-input',
            placeholder: t('typeMessage'),
            'aria-label': t('typeMessage'),
        });
        this.hint = h('span', { className: 'muted byte-count' });
        this.sendButton = h('button', { className: 'button primary', 'data-testid': 'chat-send' }, t('send'));
        this.sendButton.addEventListener('click', () => void this.submit());
        this.input.addEventListener('keydown', e => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
                e.preventDefault();
                void this.submit();
            }
        });
        this.input.addEventListener('input', () => this.updateHint());
        this.element = h(
            'section',
            { className: 'chat-view' },
            this.list,
            h(
                'div',
                { className: 'chat-main' },
                this.title,
                this.messages,
                h(
                    'div',
                    { className: 'composer' },
                    this.input,
                    h('div', { className: 'composer-side' }, this.sendButton, this.hint),
                ),
            ),
        );
    }

    /** Opens a conversation (`channel:<name>` or `dm:<hex>`). */
    select(key: string): void {
        this.current = key;
        if (key.startsWith('dm:') && !this.store.conversations().some(c => c.key === key)) {
            this.extraDm = key;
        }
        this.render(true);
        this.input.focus();
    }

    render(force = false): void {
        const conversations = this.conversations();
        if (!this.current && conversations.length) {
            this.current = conversations[0].key;
        }
        const key = `${this.store.chatVersion}|${this.current}|${this.pending.length}|${conversations.length}|${this.store.version}`;
        if (!force && key === this.renderedFor) {
            return;
        }
        this.renderedFor = key;
        this.renderList(conversations);
        this.renderMessages(
            conversations.find(c => c.key === this.current),
            force,
        );
    }

    private conversations(): Conversation[] {
        const list = this.store.conversations();
        if (this.extraDm && !list.some(c => c.key === this.extraDm)) {
            list.push(this.store.dmConversation(this.extraDm.slice(3)));
        }
        return list;
    }

    private label(c: Conversation): string {
        if (c.kind === 'channel') {
            return `# ${c.target}`;
        }
        const row = this.store.nodes.get(c.target);
        return row ? displayName(row) : `!${c.target}`;
    }

    private renderList(conversations: Conversation[]): void {
        clear(this.list);
        let dmHeader = false;
        for (const c of conversations) {
            if (c.kind === 'dm' && !dmHeader) {
                dmHeader = true;
                this.list.appendChild(h('div', { className: 'list-header' }, this.t('direct')));
            }
            const item = h(
                'button',
                {
                    className: `conversation${c.key === this.current ? ' active' : ''}`,
                    'data-testid': 'chat-target',
                    'data-target': c.key,
                },
                h('span', { className: 'conversation-name' }, this.label(c)),
                c.count ? h('span', { className: 'badge' }, String(c.count)) : null,
            );
            item.addEventListener('click', () => this.select(c.key));
            this.list.appendChild(item);
        }
    }

    /** `toEnd`: scroll to the newest message (after opening a conversation or sending), else only if it was there. */
    private renderMessages(conversation: Conversation | undefined, toEnd: boolean): void {
        const wasAtBottom = this.messages.scrollHeight - this.messages.scrollTop - this.messages.clientHeight < 40;
        clear(this.messages);
        clear(this.title);
        if (!conversation) {
            this.setComposer(false);
            return;
        }
        this.title.append(h('strong', {}, this.label(conversation)));
        if (conversation.kind === 'dm') {
            this.title.append(h('span', { className: 'muted' }, ` !${conversation.target}`));
        }
        const now = Date.now();
        const list = this.store.conversationMessages(conversation.key);
        // A pending text disappears once the adapter reports it (same text, sent from here).
        for (let i = this.pending.length - 1; i >= 0; i--) {
            const p = this.pending[i];
            if (!p.error && list.some(m => m.own && m.text === p.text && m.time >= p.time - 60_000)) {
                this.pending.splice(i, 1);
            }
        }
        if (list.length === 0 && !this.pending.some(p => p.conversation === conversation.key)) {
            this.messages.appendChild(h('p', { className: 'muted center' }, this.t('noMessages')));
        }
        for (const message of list) {
            this.messages.appendChild(this.bubble(message, now));
        }
        for (const p of this.pending.filter(x => x.conversation === conversation.key)) {
            this.messages.appendChild(
                h(
                    'div',
                    {
                        className: 'bubble own pending',
                        'data-testid': 'chat-message',
                        'data-status': p.error ? 'failed' : 'queued',
                        title: p.error ?? '',
                    },
                    h('div', { className: 'text' }, p.text),
                    h('div', { className: 'meta' }, `${clock(p.time, this.language, now)} · ${p.error ?? '…'}`),
                ),
            );
        }
        if (wasAtBottom || toEnd) {
            this.messages.scrollTop = this.messages.scrollHeight;
        }
        this.setComposer(conversation.canSend);
    }

    private bubble(message: ChatMessage, now: number): HTMLElement {
        const row = this.store.nodes.get(message.fromHex);
        const sender = message.own ? this.t('you') : row ? displayName(row) : message.fromName || `!${message.fromHex}`;
        const meta: string[] = [clock(message.time, this.language, now)];
        if (message.alert) {
            meta.unshift(`⚠ ${this.t('alertMessage')}`);
        }
        if (!message.own) {
            if (message.rxSnr !== undefined) {
                meta.push(`SNR ${message.rxSnr.toFixed(1)}`);
            }
            if (message.hopsAway !== undefined) {
                meta.push(`${message.hopsAway} ${this.t('hops')}`);
            }
            if (message.viaMqtt) {
                meta.push('MQTT');
            }
        }
        const status = message.status;
        return h(
            'div',
            {
                className: `bubble${message.own ? ' own' : ''}${message.alert ? ' alert' : ''}`,
                'data-testid': 'chat-message',
                'data-status': message.own ? status : undefined,
                'data-key': message.key,
            },
            h('div', { className: 'sender' }, sender),
            h('div', { className: 'text' }, message.text),
            h(
                'div',
                { className: 'meta' },
                meta.join(' · '),
                status
                    ? h(
                          'span',
                          { className: `status status-${status}`, title: message.error ?? this.t(`status_${status}`) },
                          ` ${STATUS_ICON[status] ?? ''} ${this.t(`status_${status}`)}${message.error ? `: ${message.error}` : ''}`,
                      )
                    : null,
            ),
        );
    }

    private setComposer(enabled: boolean): void {
        this.input.disabled = !enabled;
        this.sendButton.disabled = !enabled;
        this.input.placeholder = enabled ? this.t('typeMessage') : this.t('cannotSend');
        this.updateHint();
    }

    private updateHint(): void {
        const bytes = utf8Length(this.input.value);
        this.hint.textContent = bytes ? this.t('bytes', bytes) : '';
    }

    private async submit(): Promise<void> {
        const text = this.input.value.trim();
        const conversation = this.conversations().find(c => c.key === this.current);
        if (!text || !conversation?.canSend) {
            return;
        }
        this.input.value = '';
        this.updateHint();
        const pending: PendingText = { text, conversation: conversation.key, time: Date.now() };
        this.pending.push(pending);
        this.render(true);
        const request: SendRequest =
            conversation.kind === 'channel'
                ? { text, channel: conversation.target }
                : { text, to: `!${conversation.target}` };
        try {
            const answer = await this.send(request);
            if (
                answer.error &&
                !this.store.conversationMessages(conversation.key).some(m => m.own && m.text === text)
            ) {
                pending.error = answer.error;
            }
        } catch (e) {
            // No answer in time: the adapter's own report (if any) replaces the pending bubble.
            pending.error = e instanceof Error && e.message !== 'no answer' ? e.message : undefined;
        }
        this.render(true);
    }
}
