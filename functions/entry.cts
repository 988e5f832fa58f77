// The deployable's entry (package.json "main", what the Functions Framework loads): the entry points
// of index.ts, from a file whose extension says CommonJS. Why: for a `.js` source the framework
// first looks up the nearest package.json's "type" through an ES-module import of read-package-up
// (Node's ES-module loader, parse-json, normalize-package-data, spdx tables: measured ~90 ms of CPU
// at every cold start, about a fifth of the time to serving); for `.cjs` it skips that lookup
// (docs/google-behaviour.md, "Functions Framework").
import './index';
