// Unit tests of the components' pure functions (node --test; run by tests/unit/test_javascript.py in make test).
import assert from "node:assert/strict";
import {test} from "node:test";

import {functionsOf} from "./load.mjs";

const MAP = "webparts/map_component/map.js";
const CHART = "webparts/chart_component/chart.js";

const {decodeState, segmentMeets, ringsOf} = functionsOf(MAP, ["decodeState", "segmentMeets", "ringsOf"]);
const {time, labelRows} = functionsOf(CHART, ["time", "labelRows"]);

test("decodeState: status, hatching and new from the code, tooltip lines from the pool and the state", () => {
  const table = {
    keys: ["05111000", "05112000"],
    pool: [[0, 1], [2]],
    head: [1, 1],
    lines: ["<b>Düsseldorf</b>", "abgedeckt seit 2023", "<b>Duisburg</b>"],
  };
  const state = {
    statuses: ["not_yet", "member"],
    rows: ["7,1,-1", "0"],   // code 7 = member (7 >> 2), hatched (bit 1), new (bit 2); pool line 1, sent line 1
    units: "0,1",
    lines: ["neu seit 1. Februar 2024"],
  };
  assert.deepEqual(decodeState(table, state), {
    "05111000": ["member", true, "<b>Düsseldorf</b><br>abgedeckt seit 2023<br>neu seit 1. Februar 2024", true],
    "05112000": ["not_yet", false, "<b>Duisburg</b>", false],
  });
});

test("decodeState: a state without units gives no features for no keys", () => {
  assert.deepEqual(decodeState({keys: [], pool: [], head: [], lines: []}, {statuses: [], rows: [], units: "", lines: []}), {});
});

test("segmentMeets: a segment through, beside, inside and touching a rectangle", () => {
  const rect = {left: 0, top: 0, right: 10, bottom: 10};
  assert.equal(segmentMeets({x: -5, y: 5}, {x: 15, y: 5}, rect), true);    // through
  assert.equal(segmentMeets({x: -5, y: -5}, {x: -1, y: 20}, rect), false);  // beside
  assert.equal(segmentMeets({x: 2, y: 2}, {x: 3, y: 3}, rect), true);       // inside
  assert.equal(segmentMeets({x: 10, y: -5}, {x: 10, y: 15}, rect), true);   // along the edge
  assert.equal(segmentMeets({x: 11, y: 11}, {x: 20, y: 0.5}, rect), false); // past the corner
});

test("ringsOf: every ring of a polygon, a polygon with a hole and a multi-polygon", () => {
  const ring = (n) => [{lat: n, lng: n}, {lat: n + 1, lng: n}, {lat: n, lng: n + 1}];
  assert.deepEqual(ringsOf(ring(1)), [ring(1)]);
  assert.deepEqual(ringsOf([ring(1), ring(2)]), [ring(1), ring(2)]);
  assert.deepEqual(ringsOf([[ring(1), ring(2)], [ring(3)]]), [ring(1), ring(2), ring(3)]);
  assert.deepEqual(ringsOf([]), []);
});

test("time: a day as UTC milliseconds, whatever the machine's time zone", () => {
  assert.equal(time("2024-02-01"), Date.UTC(2024, 1, 1));
  assert.ok(Number.isNaN(time("kein Datum")));
});

test("labelRows: a label takes the first row where it clears the last one by the gap", () => {
  assert.deepEqual(labelRows([[0, 10], [5, 15], [20, 30], [11, 19]], 2), [0, 1, 0, 2]);
  assert.deepEqual(labelRows([[0, 10], [12, 20]], 2), [0, 1]);   // 12 > 10 + 2 is false: a new row
  assert.deepEqual(labelRows([[0, 10], [13, 20]], 2), [0, 0]);
  assert.deepEqual(labelRows([], 2), []);
});
