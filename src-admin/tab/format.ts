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
    'pax.uptime': 's',
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

/** Readable names of the telemetry metrics (English: Meshtastic's own apps name them so in every language). */
const METRIC_LABELS: Record<string, string> = {
    'device.batteryLevel': 'Battery',
    'device.voltage': 'Voltage',
    'device.channelUtilization': 'Channel utilization',
    'device.airUtilTx': 'Airtime (TX)',
    'device.uptimeSeconds': 'Uptime',
    'environment.temperature': 'Temperature',
    'environment.relativeHumidity': 'Humidity',
    'environment.barometricPressure': 'Pressure',
    'environment.gasResistance': 'Gas resistance',
    'environment.voltage': 'Sensor voltage',
    'environment.current': 'Sensor current',
    'environment.iaq': 'Air quality (IAQ)',
    'environment.lux': 'Light',
    'environment.windSpeed': 'Wind speed',
    'environment.windDirection': 'Wind direction',
    'environment.rainfall1h': 'Rain (1 h)',
    'environment.rainfall24h': 'Rain (24 h)',
    'environment.soilMoisture': 'Soil moisture',
    'environment.soilTemperature': 'Soil temperature',
    'power.ch1Voltage': 'Channel 1 voltage',
    'power.ch1Current': 'Channel 1 current',
    'power.ch2Voltage': 'Channel 2 voltage',
    'power.ch2Current': 'Channel 2 current',
    'power.ch3Voltage': 'Channel 3 voltage',
    'power.ch3Current': 'Channel 3 current',
    'airQuality.pm10Standard': 'PM1.0',
    'airQuality.pm25Standard': 'PM2.5',
    'airQuality.pm100Standard': 'PM10',
    'airQuality.co2': 'CO₂',
    'pax.wifi': 'Wi-Fi devices (paxcounter)',
    'pax.ble': 'Bluetooth devices (paxcounter)',
    'pax.uptime': 'Paxcounter uptime',
};

/** A metric's name for a person: known ones by name, others from their key ("fooBarBaz" → "Foo bar baz"). */
export function metricLabel(key: string): string {
    const known = METRIC_LABELS[key];
    if (known) {
        return known;
    }
    const name = key
        .slice(key.indexOf('.') + 1)
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .toLowerCase();
    return name.charAt(0).toUpperCase() + name.slice(1);
}

/** UTF-8 length (what Meshtastic's payload limit counts). */
export function utf8Length(text: string): number {
    return new TextEncoder().encode(text).length;
}
