"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.UNKNOWN_METRIC_ROLE = exports.TELEMETRY_METRICS = void 0;
const spec_1 = require("./spec");
const powerChannels = {};
for (let ch = 1; ch <= 8; ch++) {
    // One detailed role per channel (role doc): channel 1 carries value.voltage / value.current.
    powerChannels[`ch${ch}Voltage`] = (0, spec_1.m)(`Channel ${ch} voltage`, ch === 1 ? 'value.voltage' : 'value', 'V');
    powerChannels[`ch${ch}Current`] = (0, spec_1.m)(`Channel ${ch} current`, ch === 1 ? 'value.current' : 'value', 'mA');
}
/**
 * Known metric names per variant: protobuf-es camelCase field names of meshtastic.*Metrics / LocalStats,
 * units from the proto comments. Unknown names still get a state (role `value`, no unit, name = key).
 */
exports.TELEMETRY_METRICS = {
    device: {
        batteryLevel: (0, spec_1.m)('Battery level', 'value.battery', '%', v => Math.min(v, 100)),
        voltage: (0, spec_1.m)('Battery voltage', 'value.voltage', 'V'),
        channelUtilization: (0, spec_1.m)('Channel utilisation', 'value', '%'),
        airUtilTx: (0, spec_1.m)('Airtime used for transmitting (last hour)', 'value', '%'),
        uptimeSeconds: (0, spec_1.m)('Uptime', 'value.interval', 's'),
    },
    environment: {
        temperature: (0, spec_1.m)('Temperature', 'value.temperature', '°C'),
        relativeHumidity: (0, spec_1.m)('Relative humidity', 'value.humidity', '%'),
        barometricPressure: (0, spec_1.m)('Barometric pressure', 'value.pressure', 'hPa'),
        gasResistance: (0, spec_1.m)('Gas resistance', 'value', 'MΩ'),
        voltage: (0, spec_1.m)('Voltage', 'value.voltage', 'V'),
        current: (0, spec_1.m)('Current', 'value.current', 'mA'),
        iaq: (0, spec_1.m)('Indoor air quality index (0-500)', 'value.airquality'),
        distance: (0, spec_1.m)('Distance (water level)', 'value.distance', 'mm'),
        lux: (0, spec_1.m)('Ambient light', 'value.brightness', 'lux'),
        whiteLux: (0, spec_1.m)('White light', 'value', 'lux'),
        irLux: (0, spec_1.m)('Infrared light', 'value', 'lux'),
        uvLux: (0, spec_1.m)('Ultraviolet light', 'value', 'lux'),
        windDirection: (0, spec_1.m)('Wind direction', 'value.direction.wind', '°'),
        windSpeed: (0, spec_1.m)('Wind speed', 'value.speed.wind', 'm/s'),
        windGust: (0, spec_1.m)('Wind gust', 'value.speed.wind.gust', 'm/s'),
        windLull: (0, spec_1.m)('Wind lull', 'value', 'm/s'),
        weight: (0, spec_1.m)('Weight', 'value', 'kg'),
        radiation: (0, spec_1.m)('Radiation', 'value', 'µR/h'),
        rainfall1h: (0, spec_1.m)('Rainfall last hour', 'value.rain.hour', 'mm'),
        rainfall24h: (0, spec_1.m)('Rainfall last 24 hours', 'value.rain', 'mm'),
        soilMoisture: (0, spec_1.m)('Soil moisture', 'value', '%'),
        soilTemperature: (0, spec_1.m)('Soil temperature', 'value', '°C'),
    },
    airQuality: {
        pm10Standard: (0, spec_1.m)('PM1.0 (standard)', 'value.pm1', 'µg/m³'),
        pm25Standard: (0, spec_1.m)('PM2.5 (standard)', 'value.pm25', 'µg/m³'),
        pm40Standard: (0, spec_1.m)('PM4.0 (standard)', 'value', 'µg/m³'),
        pm100Standard: (0, spec_1.m)('PM10 (standard)', 'value.pm10', 'µg/m³'),
        pm10Environmental: (0, spec_1.m)('PM1.0 (environmental)', 'value', 'µg/m³'),
        pm25Environmental: (0, spec_1.m)('PM2.5 (environmental)', 'value', 'µg/m³'),
        pm100Environmental: (0, spec_1.m)('PM10 (environmental)', 'value', 'µg/m³'),
        particles03um: (0, spec_1.m)('Particles ≥0.3 µm', 'value', '#/0.1l'),
        particles05um: (0, spec_1.m)('Particles ≥0.5 µm', 'value', '#/0.1l'),
        particles10um: (0, spec_1.m)('Particles ≥1.0 µm', 'value', '#/0.1l'),
        particles25um: (0, spec_1.m)('Particles ≥2.5 µm', 'value', '#/0.1l'),
        particles40um: (0, spec_1.m)('Particles ≥4.0 µm', 'value', '#/0.1l'),
        particles50um: (0, spec_1.m)('Particles ≥5.0 µm', 'value', '#/0.1l'),
        particles100um: (0, spec_1.m)('Particles ≥10 µm', 'value', '#/0.1l'),
        particlesTps: (0, spec_1.m)('Typical particle size', 'value', 'µm'),
        co2: (0, spec_1.m)('CO2', 'value.co2', 'ppm'),
        co2Temperature: (0, spec_1.m)('CO2 sensor temperature', 'value', '°C'),
        co2Humidity: (0, spec_1.m)('CO2 sensor humidity', 'value', '%'),
        formFormaldehyde: (0, spec_1.m)('Formaldehyde', 'value.ch2o', 'ppb'),
        formTemperature: (0, spec_1.m)('Formaldehyde sensor temperature', 'value', '°C'),
        formHumidity: (0, spec_1.m)('Formaldehyde sensor humidity', 'value', '%'),
        pmTemperature: (0, spec_1.m)('PM sensor temperature', 'value', '°C'),
        pmHumidity: (0, spec_1.m)('PM sensor humidity', 'value', '%'),
        pmVocIdx: (0, spec_1.m)('VOC index', 'value'),
        pmNoxIdx: (0, spec_1.m)('NOx index', 'value'),
    },
    power: powerChannels,
    localStats: {
        uptimeSeconds: (0, spec_1.m)('Uptime', 'value.interval', 's'),
        channelUtilization: (0, spec_1.m)('Channel utilisation', 'value', '%'),
        airUtilTx: (0, spec_1.m)('Airtime used for transmitting (last hour)', 'value', '%'),
        numPacketsTx: (0, spec_1.m)('Packets sent', 'value'),
        numPacketsRx: (0, spec_1.m)('Packets received', 'value'),
        numPacketsRxBad: (0, spec_1.m)('Malformed packets received', 'value'),
        numOnlineNodes: (0, spec_1.m)('Nodes online (2 h)', 'value'),
        numTotalNodes: (0, spec_1.m)('Nodes known', 'value'),
        numRxDupe: (0, spec_1.m)('Duplicate packets received', 'value'),
        numTxRelay: (0, spec_1.m)('Packets relayed', 'value'),
        numTxRelayCanceled: (0, spec_1.m)('Relays cancelled', 'value'),
        numTxDropped: (0, spec_1.m)('Packets dropped (TX queue full)', 'value'),
        heapTotalBytes: (0, spec_1.m)('Heap size', 'value', 'B'),
        heapFreeBytes: (0, spec_1.m)('Heap free', 'value', 'B'),
        noiseFloor: (0, spec_1.m)('Noise floor', 'value', 'dBm'),
    },
    health: {
        heartBpm: (0, spec_1.m)('Heart rate', 'value.health.bpm', 'bpm'),
        spO2: (0, spec_1.m)('Blood oxygen saturation', 'value', '%'),
        temperature: (0, spec_1.m)('Body temperature', 'value.temperature', '°C'),
    },
    host: {
        uptimeSeconds: (0, spec_1.m)('Host uptime', 'value.interval', 's'),
        freememBytes: (0, spec_1.m)('Free memory', 'value', 'B'),
        diskfree1Bytes: (0, spec_1.m)('Free disk space (/)', 'value', 'B'),
        diskfree2Bytes: (0, spec_1.m)('Free disk space (2nd)', 'value', 'B'),
        diskfree3Bytes: (0, spec_1.m)('Free disk space (3rd)', 'value', 'B'),
        load1: (0, spec_1.m)('Load average 1 min', 'value', undefined, v => v / 100, v => Math.round(v * 100)),
        load5: (0, spec_1.m)('Load average 5 min', 'value', undefined, v => v / 100, v => Math.round(v * 100)),
        load15: (0, spec_1.m)('Load average 15 min', 'value', undefined, v => v / 100, v => Math.round(v * 100)),
    },
    // PAXCOUNTER_APP (`Paxcount`), kept like a variant
    pax: {
        wifi: (0, spec_1.m)('Wi-Fi devices around', 'value'),
        ble: (0, spec_1.m)('Bluetooth devices around', 'value'),
        uptime: (0, spec_1.m)('Paxcounter uptime', 'value.interval', 's'),
    },
};
/** Role of metrics the table does not know (new firmware fields): generic, no unit, name = the key. */
exports.UNKNOWN_METRIC_ROLE = 'value';
