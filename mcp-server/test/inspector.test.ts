/**
 * Drives the built server (`dist/mcp-server/bin.js`, as `npm test` builds it) with the MCP Inspector's
 * CLI mode, the reference client most people debug servers with. `@modelcontextprotocol/inspector-cli`
 * 0.15.0 is the last release that runs on Node 20 (0.16+ require Node ≥ 22.7.5).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const builtServer = path.join(repoRoot, "dist", "mcp-server", "bin.js");
const inspectorCli = path.join(repoRoot, "node_modules", "@modelcontextprotocol", "inspector-cli", "build", "cli.js");

// Structured output is read field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function inspect(...args: string[]): Promise<any> {
  const { stdout } = await run(process.execPath, [inspectorCli, "--cli", process.execPath, builtServer, ...args], {
    cwd: tempDir(),
    timeout: 60_000,
  });
  return JSON.parse(stdout);
}

describe("MCP Inspector CLI against the built server", () => {
  beforeAll(() => {
    if (!existsSync(builtServer)) throw new Error("dist/mcp-server/bin.js is missing: run npm run build first.");
  });

  it("lists the tools with their schemas", async () => {
    const { tools } = await inspect("--method", "tools/list");
    expect(tools).toHaveLength(12);
    expect(tools.find((t: { name: string }) => t.name === "apply_integration").annotations.destructiveHint).toBe(true);
  });

  it("calls search_docs and gets structured results", async () => {
    const result = await inspect(
      "--method",
      "tools/call",
      "--tool-name",
      "search_docs",
      "--tool-arg",
      "query=fail closed",
    );
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent.results.length).toBeGreaterThan(0);
  });

  it("gets an isError result with a suggestion for a bad URI", async () => {
    const result = await inspect(
      "--method",
      "tools/call",
      "--tool-name",
      "get_doc",
      "--tool-arg",
      "uri=governor://docs/nope",
    );
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toMatch(/Suggestion: /);
  });

  it("lists and reads resources", async () => {
    const { resources } = await inspect("--method", "resources/list");
    expect(resources.map((r: { uri: string }) => r.uri)).toContain("governor://schema/intent-event");
    const read = await inspect("--method", "resources/read", "--uri", "governor://schema/intent-event");
    expect(JSON.parse(read.contents[0].text).required).toContain("action");
  });

  it("lists and gets prompts", async () => {
    const { prompts } = await inspect("--method", "prompts/list");
    expect(prompts).toHaveLength(3);
    const prompt = await inspect(
      "--method",
      "prompts/get",
      "--prompt-name",
      "integrate-governor",
      "--prompt-args",
      "framework=langchain",
      "mode=scopes",
    );
    expect(prompt.messages[0].content.text).toContain('get_recipe { framework: "langchain", mode: "scopes" }');
  });
});
