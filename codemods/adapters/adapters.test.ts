import { describe, expect, it } from "vitest";
import { ADAPTERS, adapterFor } from "./index.js";
import { SOURCE_EXTENSIONS } from "../engine/walk.js";
import { loadEngineParts } from "../engine/parts.js";

describe("adapter registry", () => {
  it("claims files by extension, and nothing it cannot read", () => {
    expect(adapterFor("src/agent.ts")?.id).toBe("js");
    expect(adapterFor("app/page.TSX")?.id).toBe("js");
    expect(adapterFor("lib/worker.cjs")?.id).toBe("js");
    expect(adapterFor("workflows/flow.json")).toBeUndefined();
    expect(adapterFor("Makefile")).toBeUndefined();
  });

  it("claims every extension the walker lists, and the walker lists every extension claimed", () => {
    expect(new Set(ADAPTERS.flatMap((a) => a.extensions))).toEqual(new Set(SOURCE_EXTENSIONS));
  });

  it("loads the JS adapter with every part, and the engine drives that same adapter", async () => {
    const js = await ADAPTERS.find((a) => a.id === "js")!.load();
    expect(js.missing).toEqual([]);
    expect([js.enable.name, js.wrap?.name, js.scopes?.name]).toEqual(["enable", "wrap-primitives", "intent-scopes"]);
    const source = `import { tool } from "ai";\nexport const t = tool({ execute: async () => fetch("https://x.example") });\n`;
    expect(js.findToolSites?.(source, "src/t.ts").map((s) => s.framework)).toEqual(["vercel-ai"]);
    expect(js.findPrimitiveSites?.(source, "src/t.ts").map((s) => s.kind)).toEqual(["fetch"]);
    expect((await loadEngineParts()).id).toBe("js");
  });
});
