// leaflet.markercluster extends the global `L`; it must exist before that plugin is evaluated (imports run in order).
import * as Leaflet from 'leaflet';

(window as unknown as { L: typeof Leaflet }).L = Leaflet;

export default Leaflet;
