/**
 * The channel-name registry: sanitised channel id level → configured channel name (`Long_Fast` → `Long.Fast`), so
 * that a write to `channels.<id>.send` reaches the channel by its configured name. First name wins when two sanitise
 * alike.
 */
import { channelBaseId, type SendStateTarget, sendStateTarget } from './ids';
import { ROOT } from './table';

export class ChannelNames {
    private readonly byId = new Map<string, string>();

    remember(name: string): void {
        const part = channelBaseId(name).slice(ROOT.channels.length + 1);
        if (!this.byId.has(part)) {
            this.byId.set(part, name);
        }
    }

    /** The configured name of a sanitised channel id level, if configured. */
    nameForId(idPart: string): string | undefined {
        return this.byId.get(idPart);
    }

    /**
     * The target of a writable `send` state (id relative to the namespace): `channels.<id>.send` of a configured
     * channel (with its configured name) or `nodes.<hex>.send`; anything else gives undefined.
     */
    sendStateTarget(relativeId: string): SendStateTarget | undefined {
        return sendStateTarget(relativeId, part => this.nameForId(part));
    }
}
