// ESLint for the atlas's own JavaScript (make lint): the map and chart components, the page's script, the
// JavaScript tests. Not the vendored Leaflet, topojson-client and axe-core (checked by hash, never edited).
import js from "@eslint/js";
import globals from "globals";

export default [
  {ignores: ["**/vendor/**", "node_modules/**", ".venv/**", "build/**", "dist/**", "cache/**", "artifacts/**"]},
  js.configs.recommended,
  {
    // Streamlit components v2 load these as ES modules; Leaflet and topojson-client are globals they load first.
    files: ["webparts/*_component/*.js"],
    languageOptions: {
      sourceType: "module",
      globals: {...globals.browser, L: "readonly", topojson: "readonly"},
    },
  },
  {
    // The page shell's script, a classic script of its own.
    files: ["dashboard/page.js"],
    languageOptions: {sourceType: "script", globals: globals.browser},
  },
  {
    files: ["tests/js/**/*.mjs"],
    languageOptions: {sourceType: "module", globals: globals.node},
  },
  {
    rules: {
      eqeqeq: ["error", "always"],
      "no-var": "error",
      "prefer-const": "error",
      "no-unused-vars": ["error", {args: "after-used", caughtErrors: "none"}],
    },
  },
];
