/* global module */
/**
 * The layering check (`npx depcruise --config .dependency-cruiser.cjs .`, run by test/layering.test.ts).
 *
 * Layers, lowest first: templates/ (data) → core/ → sdk/ (its own package) → enforce-mock/ → the other
 * engines (codemods/, docs-corpus/src/, and any new top-level directory) → front ends (cli/, mcp-server/).
 * An arrow may only point down. "Engine" is defined by exclusion: every directory that is not a front
 * end, a test or a benchmark is one, so a new engine directory is covered without editing this file.
 */
const FRONT_ENDS = "^(cli|mcp-server)/";
/** Front ends, tests (any `test/` directory, any `*.test.ts`) and benchmarks: free to import any engine. */
const NOT_ENGINES = "^(cli|mcp-server|bench)/|(^|/)test/|\\.test\\.tsx?$";
const EXTERNAL = "(^|/)node_modules/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "engine-imports-front-end",
      comment: "Engines never import front ends (cli/, mcp-server/): front ends call engines, not the other way.",
      severity: "error",
      from: { pathNot: NOT_ENGINES },
      to: { path: FRONT_ENDS },
    },
    {
      name: "templates-are-data",
      comment: "templates/ holds data (tables, snippets): it imports nothing from the code above it.",
      severity: "error",
      from: { path: "^templates/", pathNot: NOT_ENGINES },
      to: { pathNot: `^templates/|${EXTERNAL}`, dependencyTypesNot: ["core"] },
    },
    {
      name: "core-is-the-foundation",
      comment: "core/ (errors, atomic writes, the vocabulary) sits under every engine: it imports only templates/.",
      severity: "error",
      from: { path: "^core/", pathNot: NOT_ENGINES },
      to: { pathNot: `^(core|templates)/|${EXTERNAL}`, dependencyTypesNot: ["core"] },
    },
    {
      name: "sdk-is-its-own-package",
      comment: "@governor/sdk ships alone: it imports nothing from the rest of the repository.",
      severity: "error",
      from: { path: "^sdk/", pathNot: NOT_ENGINES },
      to: { pathNot: `^sdk/|${EXTERNAL}`, dependencyTypesNot: ["core"] },
    },
    {
      name: "enforce-mock-below-engines",
      comment:
        "The enforce mock is used by other engines (validate, proxy, hooks); it imports only core/, sdk/ and templates/.",
      severity: "error",
      from: { path: "^enforce-mock/", pathNot: NOT_ENGINES },
      to: { pathNot: `^(enforce-mock|core|sdk|templates)/|${EXTERNAL}`, dependencyTypesNot: ["core"] },
    },
    {
      name: "no-circular",
      comment: "No import cycles, type-only imports included.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: EXTERNAL },
    exclude: {
      path: "(^|/)(node_modules|dist|__testfixtures__|\\.work|\\.governor)/|^test/fixtures/|^templates/demo-app/|^docs-corpus/api/",
    },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".d.ts"],
    },
  },
};
