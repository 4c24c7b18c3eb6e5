// chis.js: start the NHS.UK frontend components. The pages work without it;
// this only adds what the components do with JavaScript (focusing the error
// summary, the header's menu). Loaded as a module, so it runs after parsing.
import { initAll } from "/assets/nhsuk.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();
