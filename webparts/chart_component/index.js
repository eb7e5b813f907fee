// A timeline chart's entry (Streamlit components v2 loads it as an ES module from the app itself).
// One reference a line, written as dashboard/mapassets.py reads them (the server versions each one).
export { default } from "./chart.js";
