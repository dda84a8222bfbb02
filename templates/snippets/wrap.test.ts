import { describe, expect, it } from "vitest";
import { GOVERN_EDGE_MODULE, GOVERN_MODULE, sdkModuleFor, wrapFallbackSnippet } from "./wrap.js";
import { toolScopeSnippet } from "./scopes.js";

describe("SDK module names in snippets", () => {
  it("picks the edge entry only for edge files", () => {
    expect(sdkModuleFor("edge")).toBe(GOVERN_EDGE_MODULE);
    expect(sdkModuleFor("node")).toBe(GOVERN_MODULE);
    expect(sdkModuleFor(undefined)).toBe(GOVERN_MODULE);
    expect(GOVERN_EDGE_MODULE.startsWith(`${GOVERN_MODULE}/`)).toBe(true);
  });

  it("gives edge files a wrap fallback from the edge entry, without Node-only kinds", () => {
    const snippet = wrapFallbackSnippet(undefined, "esm", "edge");
    expect(snippet.split("\n")[0]).toBe(`import { govern } from "${GOVERN_EDGE_MODULE}";`);
    expect(snippet).toContain("govern(fetch)");
    expect(snippet).toContain('govern(request, "undici")');
    expect(snippet).not.toMatch(/govern\((?:http|cp|exec|fs)\)/);
    // The Node fallback still lists them.
    expect(wrapFallbackSnippet(["fs"])).toContain("govern(fs).writeFileSync");
    expect(wrapFallbackSnippet(["fs"], "esm", "edge")).not.toContain("govern(fs)");
  });

  it("gives edge files a tool-scope fallback from the edge entry", () => {
    const spec = { tool: "send_message", action: "write", resource: { type: "external_api" } };
    expect(toolScopeSnippet(spec, "esm", "edge")).toContain(`import { governTool } from "${GOVERN_EDGE_MODULE}";`);
    expect(toolScopeSnippet(spec, "cjs", "edge")).toContain(`const { governTool } = require("${GOVERN_EDGE_MODULE}");`);
    expect(toolScopeSnippet(spec)).toContain(`import { governTool } from "${GOVERN_MODULE}";`);
  });
});
