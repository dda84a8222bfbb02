import { describe, expect, it } from "vitest";
import { parseSiteId, siteId, splitExclude } from "./site-id.js";

describe("site ids", () => {
  it("round-trips, paths with colons included", () => {
    const id = siteId("src/a:b.ts", { line: 12, column: 5 }, "wrap-primitive");
    expect(id).toBe("src/a:b.ts:12:5:wrap-primitive");
    expect(parseSiteId(id)).toEqual({ path: "src/a:b.ts", line: 12, column: 5, kind: "wrap-primitive" });
    expect(parseSiteId("src/a.ts")).toBeUndefined();
    expect(parseSiteId("src/a.ts:12")).toBeUndefined();
  });

  it("splits --exclude values into site ids and files", () => {
    expect(splitExclude(["src/legacy/**", "src/a.ts:3:1:intent-scope", "src/b.ts"])).toEqual({
      files: ["src/legacy/**", "src/b.ts"],
      sites: ["src/a.ts:3:1:intent-scope"],
    });
    expect(splitExclude(undefined)).toEqual({ files: [], sites: [] });
  });
});
