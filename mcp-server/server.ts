/**
 * The docs MCP server: docs and recipes for coding agents, plus repo-aware tools over the codemods
 * engine, as one {@link McpServer}. Transports live in `stdio.ts` and `http.ts`.
 *
 * Anything exported here is public API of the MCP front end.
 */
import { realpathSync } from "node:fs";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { RootsListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { registerDocsTools } from "./tools/docs.js";
import { registerProjectTools } from "./tools/project.js";
import { registerIntentTools } from "./tools/intent.js";
import { registerHistoryTools } from "./tools/history.js";
import { registerResources } from "./resources.js";
import { registerPrompts } from "./prompts.js";
import { rootDirectoriesFromUris } from "./roots.js";
import { ErrorCodes, GovernorInitError } from "../core/errors.js";
import type { ToolContext } from "./tool-context.js";

export type { ToolContext } from "./tool-context.js";

/** Options of {@link createGovernorMcpServer}. */
export interface GovernorMcpServerOptions {
  /**
   * Directories paths are confined to when the client does not provide roots. Defaults to the
   * server's working directory.
   */
  roots?: string[];
  /**
   * Ask the client for its roots (`roots/list`) when it supports them. Default true. The stateless
   * HTTP transport turns it off: a server-to-client request cannot be answered across stateless requests.
   */
  useClientRoots?: boolean;
  /** The environment `governor_status` and `explain_decision` read. Defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Version reported in `initialize`. */
  version?: string;
}

const INSTRUCTIONS =
  "Governor docs and integration tools. To integrate: detect_stack, get_recipe, plan_integration, apply_integration, check_integration, governor_status. For questions: search_docs then get_doc. For a denial: explain_decision; for recent decisions: get_decision_history.";

function realDirs(dirs: readonly string[]): string[] {
  return dirs.flatMap((dir) => {
    try {
      return [realpathSync(dir)];
    } catch {
      return [];
    }
  });
}

/** Builds the server with every tool, resource and prompt registered; connect it to a transport. */
export function createGovernorMcpServer(options: GovernorMcpServerOptions = {}): McpServer {
  const server = new McpServer(
    { name: "governor-docs", title: "Governor docs and integration", version: options.version ?? "0.1.0" },
    // The element cap bounds what one tools/call can make the server parse and walk.
    { instructions: INSTRUCTIONS, maxToolInputElements: 5000 },
  );
  const fallbackRoots = realDirs(options.roots ?? [process.cwd()]);
  const useClientRoots = options.useClientRoots ?? true;
  let clientRoots: Promise<string[] | undefined> | undefined;

  server.server.setNotificationHandler(RootsListChangedNotificationSchema, () => {
    clientRoots = undefined;
  });

  const roots = async (): Promise<string[]> => {
    if (!useClientRoots || !server.server.getClientCapabilities()?.roots) return fallbackRoots;
    clientRoots ??= server.server
      .listRoots(undefined, { timeout: 10_000 })
      .then(async ({ roots: list }) =>
        list.length === 0 ? undefined : rootDirectoriesFromUris(list.map((r) => r.uri)),
      )
      .catch((error: unknown) => {
        // Retry on the next call instead of caching a failure.
        clientRoots = undefined;
        throw new GovernorInitError(ErrorCodes.SERVICE_UNAVAILABLE, "The client did not answer roots/list.", {
          cause: error,
          suggestion: "Retry; if it persists, open the project folder in the editor or restart the MCP server.",
        });
      });
    // A client with roots that sent none has not opened a folder: use the server's directory.
    return (await clientRoots) ?? fallbackRoots;
  };

  const context: ToolContext = { server, roots, env: options.env ?? process.env };
  registerDocsTools(context);
  registerProjectTools(context);
  registerIntentTools(context);
  registerHistoryTools(context);
  registerResources(server);
  registerPrompts(server);
  return server;
}
