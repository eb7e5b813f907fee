// The pure functions of a component file, for unit tests without a browser: the file stays as the page loads
// it (an ES module that reads `window` and `document` at its top), and only the named top-level
// `function` declarations are taken out of its text and defined here. A function that needs the DOM
// is not pure and is tested in the browser tests instead.
import {readFileSync} from "node:fs";

export const ROOT = new URL("../../", import.meta.url);

// The source of `function name(...) {...}` at the top level of `source`.
function declaration(source, name) {
  const start = source.search(new RegExp(`^function ${name}\\(`, "m"));
  if (start < 0) throw new Error(`no top-level function ${name}`);
  let depth = 0;
  let quote = null;
  let opened = false;
  for (let i = source.indexOf(")", start); i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "/" && source[i + 1] === "/") i = source.indexOf("\n", i);
    else if (c === "{") { depth++; opened = true; }
    else if (c === "}" && --depth === 0 && opened) return source.slice(start, i + 1);
  }
  throw new Error(`function ${name} does not end`);
}

// {name: function} for each of `names` in the file at `path` (relative to the repository).
export function functionsOf(path, names) {
  const source = readFileSync(new URL(path, ROOT), "utf8");
  const body = names.map((name) => declaration(source, name)).join("\n");
  return new Function(`"use strict";\n${body}\nreturn {${names.join(", ")}};`)();
}
