// Build the front-end assets into peerreview/static/vendor (gitignored).
// GOV.UK Frontend is compiled from its Sass so that the GDS Transport font is never used:
// this is not a GOV.UK service, so it uses the system font stack instead.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const out = "peerreview/static/vendor";
mkdirSync(out, { recursive: true });
const css = sass.compile("peerreview/static_src/app.scss", {
  loadPaths: ["node_modules"],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "slash-div"],
});
writeFileSync(`${out}/app.css`, css.css);
cpSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk-frontend.min.js`);
cpSync("node_modules/govuk-frontend/dist/govuk/assets/images", `${out}/images`, { recursive: true });
cpSync("node_modules/htmx.org/dist/htmx.min.js", `${out}/htmx.min.js`);
cpSync("node_modules/axe-core/axe.min.js", `${out}/axe.min.js`);
console.log(`Front-end assets built into ${out}`);
