// The map component's entry (Streamlit components v2 loads it as an ES module from the app itself).
// Leaflet and topojson-client run first as plain scripts for their globals (L, topojson), then the map.
// One reference a line, written as webparts/components.py reads them (the server versions each one).
import "./vendor/leaflet/leaflet.js";
import "./vendor/topojson-client/topojson-client.min.js";
export { default } from "./map.js";
