/** Display formatting shared by the views. */
import type { TextKey } from './i18n';

export type Translate = (key: TextKey, ...args: (string | number)[]) => string;

export function relativeTime(ms: number, now: number, language: string, t: Translate): string {
    if (!ms) {
        return '–';
    }
    const seconds = Math.round((now - ms) / 1000);
    if (seconds < 45) {
        return t('justNow');
    }
    const rtf = new Intl.RelativeTimeFormat(language, { numeric: 'auto', style: 'short' });
    const minutes = Math.round(seconds / 60);
    if (minutes < 60) {
        return rtf.format(-minutes, 'minute');
    }
    const hours = Math.round(minutes / 60);
    if (hours < 48) {
        return rtf.format(-hours, 'hour');
    }
    return rtf.format(-Math.round(hours / 24), 'day');
}

export function dateTime(ms: number, language: string): string {
    return ms ? new Date(ms).toLocaleString(language) : '–';
}

export function clock(ms: number, language: string, now: number): string {
    const d = new Date(ms);
    const sameDay = new Date(now).toDateString() === d.toDateString();
    return sameDay
        ? d.toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' })
        : d.toLocaleString(language, { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export function fixed(value: number | null | undefined, digits: number, unit = ''): string {
    return value === null || value === undefined || !Number.isFinite(value) ? '–' : `${value.toFixed(digits)}${unit}`;
}

/** Units of the telemetry metrics the adapter reports (`variant.key`); unknown ones show without a unit. */
export const METRIC_UNITS: Record<string, string> = {
    'device.batteryLevel': '%',
    'device.voltage': 'V',
    'device.channelUtilization': '%',
    'device.airUtilTx': '%',
    'device.uptimeSeconds': 's',
    'environment.temperature': '°C',
    'environment.relativeHumidity': '%',
    'environment.barometricPressure': 'hPa',
    'environment.gasResistance': 'MΩ',
    'environment.voltage': 'V',
    'environment.current': 'mA',
    'environment.lux': 'lx',
    'environment.windSpeed': 'm/s',
    'environment.windDirection': '°',
    'environment.rainfall1h': 'mm',
    'environment.rainfall24h': 'mm',
    'environment.soilMoisture': '%',
    'environment.soilTemperature': '°C',
    'power.ch1Voltage': 'V',
    'power.ch1Current': 'mA',
    'power.ch2Voltage': 'V',
    'power.ch2Current': 'mA',
    'power.ch3Voltage': 'V',
    'power.ch3Current': 'mA',
    'airQuality.pm10Standard': 'µg/m³',
    'airQuality.pm25Standard': 'µg/m³',
    'airQuality.pm100Standard': 'µg/m³',
    'airQuality.co2': 'ppm',
};

/** UTF-8 length (what Meshtastic's payload limit counts). */
export function utf8Length(text: string): number {
    return new TextEncoder().encode(text).length;
}
