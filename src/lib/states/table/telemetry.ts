/** Telemetry metrics: `nodes.<hex>.telemetry.<variant>.<metric key>` (type number). */
import type { TelemetryVariant } from '../../codec/types';
import { m, type MetricSpec } from './spec';

const powerChannels: Record<string, MetricSpec> = {};
for (let ch = 1; ch <= 8; ch++) {
    // One detailed role per channel (role doc): channel 1 carries value.voltage / value.current.
    powerChannels[`ch${ch}Voltage`] = m(`Channel ${ch} voltage`, ch === 1 ? 'value.voltage' : 'value', 'V');
    powerChannels[`ch${ch}Current`] = m(`Channel ${ch} current`, ch === 1 ? 'value.current' : 'value', 'mA');
}

/**
 * Known metric names per variant: protobuf-es camelCase field names of meshtastic.*Metrics / LocalStats,
 * units from the proto comments. Unknown names still get a state (role `value`, no unit, name = key).
 */
export const TELEMETRY_METRICS: { readonly [V in TelemetryVariant]: Readonly<Record<string, MetricSpec>> } = {
    device: {
        batteryLevel: m('Battery level', 'value.battery', '%', v => Math.min(v, 100)),
        voltage: m('Battery voltage', 'value.voltage', 'V'),
        channelUtilization: m('Channel utilisation', 'value', '%'),
        airUtilTx: m('Airtime used for transmitting (last hour)', 'value', '%'),
        uptimeSeconds: m('Uptime', 'value.interval', 's'),
    },
    environment: {
        temperature: m('Temperature', 'value.temperature', '°C'),
        relativeHumidity: m('Relative humidity', 'value.humidity', '%'),
        barometricPressure: m('Barometric pressure', 'value.pressure', 'hPa'),
        gasResistance: m('Gas resistance', 'value', 'MΩ'),
        voltage: m('Voltage', 'value.voltage', 'V'),
        current: m('Current', 'value.current', 'mA'),
        iaq: m('Indoor air quality index (0-500)', 'value.airquality'),
        distance: m('Distance (water level)', 'value.distance', 'mm'),
        lux: m('Ambient light', 'value.brightness', 'lux'),
        whiteLux: m('White light', 'value', 'lux'),
        irLux: m('Infrared light', 'value', 'lux'),
        uvLux: m('Ultraviolet light', 'value', 'lux'),
        windDirection: m('Wind direction', 'value.direction.wind', '°'),
        windSpeed: m('Wind speed', 'value.speed.wind', 'm/s'),
        windGust: m('Wind gust', 'value.speed.wind.gust', 'm/s'),
        windLull: m('Wind lull', 'value', 'm/s'),
        weight: m('Weight', 'value', 'kg'),
        radiation: m('Radiation', 'value', 'µR/h'),
        rainfall1h: m('Rainfall last hour', 'value.rain.hour', 'mm'),
        rainfall24h: m('Rainfall last 24 hours', 'value.rain', 'mm'),
        soilMoisture: m('Soil moisture', 'value', '%'),
        soilTemperature: m('Soil temperature', 'value', '°C'),
    },
    airQuality: {
        pm10Standard: m('PM1.0 (standard)', 'value.pm1', 'µg/m³'),
        pm25Standard: m('PM2.5 (standard)', 'value.pm25', 'µg/m³'),
        pm40Standard: m('PM4.0 (standard)', 'value', 'µg/m³'),
        pm100Standard: m('PM10 (standard)', 'value.pm10', 'µg/m³'),
        pm10Environmental: m('PM1.0 (environmental)', 'value', 'µg/m³'),
        pm25Environmental: m('PM2.5 (environmental)', 'value', 'µg/m³'),
        pm100Environmental: m('PM10 (environmental)', 'value', 'µg/m³'),
        particles03um: m('Particles ≥0.3 µm', 'value', '#/0.1l'),
        particles05um: m('Particles ≥0.5 µm', 'value', '#/0.1l'),
        particles10um: m('Particles ≥1.0 µm', 'value', '#/0.1l'),
        particles25um: m('Particles ≥2.5 µm', 'value', '#/0.1l'),
        particles40um: m('Particles ≥4.0 µm', 'value', '#/0.1l'),
        particles50um: m('Particles ≥5.0 µm', 'value', '#/0.1l'),
        particles100um: m('Particles ≥10 µm', 'value', '#/0.1l'),
        particlesTps: m('Typical particle size', 'value', 'µm'),
        co2: m('CO2', 'value.co2', 'ppm'),
        co2Temperature: m('CO2 sensor temperature', 'value', '°C'),
        co2Humidity: m('CO2 sensor humidity', 'value', '%'),
        formFormaldehyde: m('Formaldehyde', 'value.ch2o', 'ppb'),
        formTemperature: m('Formaldehyde sensor temperature', 'value', '°C'),
        formHumidity: m('Formaldehyde sensor humidity', 'value', '%'),
        pmTemperature: m('PM sensor temperature', 'value', '°C'),
        pmHumidity: m('PM sensor humidity', 'value', '%'),
        pmVocIdx: m('VOC index', 'value'),
        pmNoxIdx: m('NOx index', 'value'),
    },
    power: powerChannels,
    localStats: {
        uptimeSeconds: m('Uptime', 'value.interval', 's'),
        channelUtilization: m('Channel utilisation', 'value', '%'),
        airUtilTx: m('Airtime used for transmitting (last hour)', 'value', '%'),
        numPacketsTx: m('Packets sent', 'value'),
        numPacketsRx: m('Packets received', 'value'),
        numPacketsRxBad: m('Malformed packets received', 'value'),
        numOnlineNodes: m('Nodes online (2 h)', 'value'),
        numTotalNodes: m('Nodes known', 'value'),
        numRxDupe: m('Duplicate packets received', 'value'),
        numTxRelay: m('Packets relayed', 'value'),
        numTxRelayCanceled: m('Relays cancelled', 'value'),
        numTxDropped: m('Packets dropped (TX queue full)', 'value'),
        heapTotalBytes: m('Heap size', 'value', 'B'),
        heapFreeBytes: m('Heap free', 'value', 'B'),
        noiseFloor: m('Noise floor', 'value', 'dBm'),
    },
    health: {
        heartBpm: m('Heart rate', 'value.health.bpm', 'bpm'),
        spO2: m('Blood oxygen saturation', 'value', '%'),
        temperature: m('Body temperature', 'value.temperature', '°C'),
    },
    host: {
        uptimeSeconds: m('Host uptime', 'value.interval', 's'),
        freememBytes: m('Free memory', 'value', 'B'),
        diskfree1Bytes: m('Free disk space (/)', 'value', 'B'),
        diskfree2Bytes: m('Free disk space (2nd)', 'value', 'B'),
        diskfree3Bytes: m('Free disk space (3rd)', 'value', 'B'),
        load1: m(
            'Load average 1 min',
            'value',
            undefined,
            v => v / 100,
            v => Math.round(v * 100),
        ),
        load5: m(
            'Load average 5 min',
            'value',
            undefined,
            v => v / 100,
            v => Math.round(v * 100),
        ),
        load15: m(
            'Load average 15 min',
            'value',
            undefined,
            v => v / 100,
            v => Math.round(v * 100),
        ),
    },
    // PAXCOUNTER_APP (`Paxcount`), kept like a variant
    pax: {
        wifi: m('Wi-Fi devices around', 'value'),
        ble: m('Bluetooth devices around', 'value'),
        uptime: m('Paxcounter uptime', 'value.interval', 's'),
    },
};

/** Role of metrics the table does not know (new firmware fields): generic, no unit, name = the key. */
export const UNKNOWN_METRIC_ROLE = 'value';
