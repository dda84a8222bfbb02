/**
 * Shared by the MCP benchmarks: where the compiled governor server is, and the peer they measure it
 * against — a minimal one-tool McpServer over stdio (same SDK, same zod), written inside the
 * repository so it resolves the same node_modules.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** `dist/mcp-server/bin.js`; exits with a message when the build is missing. */
export function builtServer(): string {
  const ours = path.join(repoRoot, "dist", "mcp-server", "bin.js");
  if (!existsSync(ours)) {
    console.error("dist/mcp-server/bin.js is missing: run npx tsc -p tsconfig.build.json first.");
    process.exit(2);
  }
  return ours;
}

/** Writes the minimal peer (one `echo` tool, optionally padding its answer to `size`) and returns its path. */
export function writeMinimalServer(): string {
  const workDir = path.join(repoRoot, "bench", ".work");
  mkdirSync(workDir, { recursive: true });
  const minimal = path.join(workDir, "minimal-mcp-server.mjs");
  writeFileSync(
    minimal,
    `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
const server = new McpServer({ name: "minimal", version: "1.0.0" });
server.registerTool("echo", { description: "Echo", inputSchema: { text: z.string(), size: z.number().optional() } }, ({ text, size }) => ({ content: [{ type: "text", text: size ? text.padEnd(size, ".") : text }] }));
await server.connect(new StdioServerTransport());
`,
  );
  return minimal;
}
