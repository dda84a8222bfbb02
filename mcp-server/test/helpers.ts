import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { ListRootsRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { createGovernorMcpServer, type GovernorMcpServerOptions } from "../server.js";

/** A fresh temporary directory (real path). */
export function tempDir(prefix = "gi-mcp-"): string {
  return realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
}

/**
 * Connects a real Client to a fresh server over an in-memory linked pair. With `clientRoots`, the
 * client declares the roots capability and answers roots/list with those directories.
 */
export async function connect(
  options: GovernorMcpServerOptions = {},
  clientRoots?: string[],
): Promise<{ client: Client; close: () => Promise<void> }> {
  const server = createGovernorMcpServer(options);
  const client = new Client(
    { name: "test-client", version: "1.0.0" },
    { capabilities: clientRoots ? { roots: { listChanged: true } } : {} },
  );
  if (clientRoots) {
    // Read on every request, so a test can change the array and notify the server.
    client.setRequestHandler(ListRootsRequestSchema, async () => ({
      roots: clientRoots.map((dir) => ({ uri: pathToFileURL(dir).href, name: path.basename(dir) })),
    }));
  }
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  return {
    client,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

/** The text of a tool result's first content block. */
export function textOf(result: unknown): string {
  const content = (result as CallToolResult).content;
  const first = content[0];
  return first && first.type === "text" ? first.text : "";
}
