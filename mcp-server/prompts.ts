/**
 * Prompts a user can pick in their coding agent: integrate the Governor, write a governed tool, and
 * diagnose a denial. Framework and mode arguments complete from the data tables in `templates/`.
 */
import { completable } from "@modelcontextprotocol/sdk/server/completable.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { GetPromptResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { FRAMEWORK_IDS, frameworkById } from "../templates/frameworks.js";
import { DEFAULT_MODE, MODES, MODE_IDS } from "../templates/modes.js";

function startingWith(ids: readonly string[], value: string | undefined): string[] {
  const prefix = (value ?? "").toLowerCase();
  return ids.filter((id) => id.startsWith(prefix));
}

const frameworkArg = completable(
  z.enum(FRAMEWORK_IDS).describe(`One of: ${FRAMEWORK_IDS.join(", ")}`),
  (value) => startingWith(FRAMEWORK_IDS, value) as typeof FRAMEWORK_IDS,
);
const modeArg = completable(
  z
    .enum(MODE_IDS)
    .optional()
    .describe(`One of: ${MODE_IDS.join(", ")} (default ${DEFAULT_MODE})`),
  (value) => startingWith(MODE_IDS, value) as typeof MODE_IDS,
);

function userMessage(text: string): GetPromptResult {
  return { messages: [{ role: "user", content: { type: "text", text } }] };
}

/** Registers `integrate-governor`, `governed-tool-use` and `diagnose-denial`. */
export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    "integrate-governor",
    {
      title: "Integrate the Governor SDK",
      description: "Walk through detecting, planning, applying and checking the Governor integration.",
      argsSchema: { framework: frameworkArg, mode: modeArg },
    },
    ({ framework, mode }) => {
      const chosen = mode ?? DEFAULT_MODE;
      const info = frameworkById(framework);
      const modeInfo = MODES.find((m) => m.id === chosen);
      return userMessage(
        [
          `Integrate the Governor SDK (@governor/sdk) into this project, which uses ${info?.name ?? framework}, in mode "${chosen}" (${modeInfo?.summary ?? ""}).`,
          "Use the governor MCP tools, in this order:",
          "1. detect_stack: confirm the frameworks, entrypoints, side-effect sites and tool handlers.",
          `2. get_recipe { framework: "${framework}", mode: "${chosen}" }: read the steps before editing.`,
          `3. plan_integration { mode: "${chosen}" }: show me the diff and the skipped files; wait for my go-ahead.`,
          `4. apply_integration { mode: "${chosen}" } once I agree (it writes an undo manifest).`,
          "5. check_integration: fix or explain every ungoverned side effect it still lists.",
          "6. governor_status: make sure the SDK is installed and GOVERNOR_ENFORCE_URL / GOVERNOR_API_KEY are set (npx governor-init mock for local development).",
          info?.codemod === false
            ? "This framework has no codemod: follow the recipe by hand and show me each edit."
            : "Where a file cannot be edited safely, apply the recipe's snippet by hand.",
          "Never bypass the SDK to make a call succeed: a DENY is the policy working.",
        ].join("\n"),
      );
    },
  );

  server.registerPrompt(
    "governed-tool-use",
    {
      title: "Write a governed agent tool",
      description: "Write or change an agent tool so every call runs under a Governor intent scope.",
      argsSchema: {
        framework: completable(
          z.enum(FRAMEWORK_IDS).optional(),
          (v) => startingWith(FRAMEWORK_IDS, v) as typeof FRAMEWORK_IDS,
        ),
      },
    },
    ({ framework }) => {
      const info = framework ? frameworkById(framework) : undefined;
      return userMessage(
        [
          `When you write or change an agent tool${info ? ` (${info.name})` : ""} that has side effects (HTTP calls, database queries, shell commands, file writes):`,
          "1. Call build_intent with the tool's name, description and parameter schema to get its intent event.",
          '2. Wrap the handler with governTool(spec, handler) from @governor/sdk using that intent (see search_docs "governTool"' +
            (framework ? ` and get_recipe { framework: "${framework}" })` : ")") +
            ".",
          "3. Handle GovernorDeniedError: return a short message to the model with the reason and request id; never retry around it.",
          "4. Run check_integration to confirm no side effect in the tool runs ungoverned.",
        ].join("\n"),
      );
    },
  );

  server.registerPrompt(
    "diagnose-denial",
    {
      title: "Diagnose a Governor denial",
      description: "Find out why a call was denied or failed closed, and what to change.",
      argsSchema: {
        requestId: z.string().max(200).optional().describe("The request id from GovernorDeniedError or the logs."),
      },
    },
    ({ requestId }) =>
      userMessage(
        [
          `A governed call was denied or failed closed${requestId ? ` (request id ${requestId})` : ""}. Diagnose it:`,
          requestId
            ? `1. explain_decision { requestId: "${requestId}" } (add mockUrl if the mock is not at GOVERNOR_MOCK_URL), or paste the enforce response as response.`
            : "1. explain_decision with the enforce response (or its requestId when the local mock made the decision).",
          "2. Read the canonicalization trace: a field read with low confidence or not recognized means the intent said something other than you meant.",
          "3. governor_status if the call failed rather than being denied (unreachable enforce URL, missing GOVERNOR_API_KEY).",
          "4. Propose the smallest change: a clearer intent, narrower data, or a policy change for me to review. Do not bypass the SDK.",
        ].join("\n"),
      ),
  );
}
