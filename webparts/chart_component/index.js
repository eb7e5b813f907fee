// A timeline chart's entry (Streamlit components v2 loads it as an ES module from the app itself).
// One reference a line, written as webparts/components.py reads them (the server versions each one).
export { default } from "./chart.js";
