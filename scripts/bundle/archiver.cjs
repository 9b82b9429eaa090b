/**
 * Stands in for `archiver` in the bundles scripts/run.cjs builds. cdktf requires it at start-up
 * (cdktf/lib/private/fs.js) but calls it only to zip a TerraformAsset directory, which the gateway
 * stacks never create; bundling it and its dependencies (streams, glob, zip) made the bundle a
 * third larger and every command start about 50 ms slower. The real `archiver`, the one cdktf
 * resolves, is loaded on the first call.
 */
"use strict";
let real;
module.exports = function archiver(...args) {
  if (real === undefined) {
    const cdktfDir = require("path").dirname(require.resolve("cdktf/package.json"));
    real = require(require.resolve("archiver", { paths: [cdktfDir] }));
  }
  return real(...args);
};
