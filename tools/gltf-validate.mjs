// Validate a .glb or .gltf with the Khronos glTF-Validator and print its JSON report.
// Usage: node tools/gltf-validate.mjs FILE   (exit 0 when the report has no errors, 1 otherwise)
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import validator from "gltf-validator";

const path = process.argv[2];
if (!path) {
  console.error("usage: node tools/gltf-validate.mjs FILE.glb");
  process.exit(2);
}
const bytes = new Uint8Array(await readFile(path));
const report = await validator.validateBytes(bytes, {
  uri: basename(path),
  maxIssues: 0,
  externalResourceFunction: (uri) =>
    Promise.reject(new Error(`external resource ${uri} not allowed: beatcam writes self-contained files`)),
});
console.log(JSON.stringify(report, null, 2));
process.exit(report.issues.numErrors === 0 ? 0 : 1);
