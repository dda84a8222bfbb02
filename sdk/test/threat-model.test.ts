/**
 * The threat model's list of ungoverned APIs cannot drift from the code: the docs page's table is
 * exactly `UNGOVERNED_APIS`, each of those that is a function in this Node version is indeed not
 * governed after enable(), and each API in the governed list is governed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { governedApis, isGoverned, lookupApi, UNGOVERNED_APIS } from "../src/coverage.js";
import { governor } from "../src/index.js";
import { resetGovernor } from "../src/testing.js";
import { API_KEY, REPO_DIR, startMock, type MockProcess } from "./helpers.js";

let mock: MockProcess;
beforeAll(async () => {
  mock = await startMock({ policy: { name: "deny-all", default: "deny", rules: [] } });
});
afterAll(async () => {
  resetGovernor();
  await mock?.stop();
});

function documentedRows(): string[][] {
  const page = readFileSync(join(REPO_DIR, "docs-corpus/guides/threat-model.md"), "utf8");
  const section = page.slice(page.indexOf("## Not governed"), page.indexOf("## Scopes"));
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) =>
      line
        .slice(1, -1)
        .split(" | ")
        .map((cell) => cell.trim()),
    );
}

/** A dotted API path from any builtin module (`net.connect`, `http.Agent.prototype.createConnection`). */
function resolveApi(api: string): unknown {
  const [head, ...rest] = api.split(".");
  let value: unknown = head === "process" ? process : process.getBuiltinModule(`node:${head}`);
  for (const part of rest) value = (value as Record<string, unknown> | undefined)?.[part];
  return value;
}

/** Entries that are not one function (a family, a habit, a package, a symbol). */
const NOT_A_FUNCTION =
  /^(Symbol\.for|fs\.read\*|references|the npm|WebSocket|EventSource|process\.permission|governor\.disable)/;

describe("threat model: the documented list is the code's list", () => {
  it("the docs page's 'Not governed' table is exactly UNGOVERNED_APIS", () => {
    expect(documentedRows()).toEqual(
      UNGOVERNED_APIS.map((entry) => [`\`${entry.api}\``, entry.node, entry.why, entry.layer]),
    );
  });

  it("each documented ungoverned API is indeed not governed after enable(), and each governed one is", () => {
    governor.enable({ enforceUrl: mock.url, apiKey: API_KEY });
    const probed: string[] = [];
    for (const { api } of UNGOVERNED_APIS) {
      if (NOT_A_FUNCTION.test(api)) continue;
      const value = resolveApi(api);
      expect(typeof value, api).toBe("function");
      expect(isGoverned(value), `${api} is documented as ungoverned`).toBe(false);
      probed.push(api);
    }
    expect(probed.length).toBeGreaterThanOrEqual(15);
    expect(isGoverned(governor.disable)).toBe(false);
    let governedCount = 0;
    for (const { api } of governedApis()) {
      const value = lookupApi(api);
      if (typeof value !== "function") continue; // not in this Node version (fs.promises.fchmod, …)
      expect(isGoverned(value), `${api} is documented as governed`).toBe(true);
      governedCount++;
    }
    expect(governedCount).toBeGreaterThan(100);
  });
});
