// Loads the WebAssembly app. A separate file (not an inline script) so the
// Content-Security-Policy can forbid inline scripts.
import init from "/pkg/werkmuur_app.js";

init({ module_or_path: "/pkg/werkmuur_app_bg.wasm" });
