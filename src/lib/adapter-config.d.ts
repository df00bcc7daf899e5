// The raw `native` settings as admin stores them (see io-package.json). main.ts never reads these directly:
// src/lib/config validates and normalises them once into `MeshtasticConfig`.
declare global {
    namespace ioBroker {
        interface AdapterConfig {
            mode: string;
            bind: string;
            port: number | string;
            webSocket: boolean;
            ssl: boolean;
            certPublic: string;
            certPrivate: string;
            certChained: string;
            user: string;
            pass: string;
            maxClients: number | string;
            maxTopicLength: number | string;
            maxPacketSize: number | string;
            clientPreset: string;
            url: string;
            clientId: string;
            qos: number | string;
            rejectUnauthorized: boolean;
            caCert: string;
            rootTopic: string;
            channels: unknown;
            legacyJson: boolean;
            maxNodes: number | string;
            purgeDays: number | string;
            offlineMinutes: number | string;
            allowList: string;
            maxHops: number | string;
            historySize: number | string;
            detectionAlarmSeconds: number | string;
            radioWrites: string;
            radioMinutes: number | string;
            lastHeardMinutes: number | string;
            nodeId: string;
            longName: string;
            shortName: string;
            hwModel: number | string;
            nodeRole: number | string;
            nodeInfoIntervalHours: number | string;
            hopLimit: number | string;
            sendSpacingMs: number | string;
            ackTimeoutSeconds: number | string;
            privateKey: string;
            allowChannelDm: string;
        }
    }
}
export {};
