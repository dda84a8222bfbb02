/**
 * The adapters the engine knows, one per kind of input. Each entry is cheap to import; its parser and
 * transforms load on the first `load()`. Add an adapter: a folder `codemods/adapters/<id>/` whose
 * `index.ts` exports a `load()` returning a `LoadedAdapter`, and one line here (see README.md).
 */
import type { AdapterEntry } from "../engine/adapter.js";
import { JS_EXTENSIONS } from "./js/extensions.js";

/** JavaScript and TypeScript, ESM and CommonJS, JSX included. */
const js: AdapterEntry = {
  id: "js",
  extensions: JS_EXTENSIONS,
  load: async () => (await import("./js/index.js")).loadJsAdapter(),
};

/** Every adapter, in the order the engine asks them. */
export const ADAPTERS: readonly AdapterEntry[] = [js];

/** The adapter that claims a file, by its extension; undefined when none does. */
export function adapterFor(path: string): AdapterEntry | undefined {
  const dot = path.lastIndexOf(".");
  const extension = dot < 0 ? "" : path.slice(dot).toLowerCase();
  return ADAPTERS.find((adapter) => adapter.extensions.includes(extension));
}
