/** The two ways the wizard talks: ink prompts in a terminal, or flags only (headless, `--yes`). */
import { CLIENTS, type ClientId } from "../../templates/clients.js";
import type { ModeId } from "../../templates/modes.js";
import { renderInstallResults } from "../commands/mcp-install.js";
import { renderManualIntegration, renderSdkStatus, renderTestWiring, renderValidation } from "../render.js";
import { color } from "../ui/color.js";
import { MODE_CHOICES, type Findings, type WizardIO, type WizardSummary } from "./steps.js";

function findingsText(f: Findings): string {
  const lines = [
    color.bold("What governor-init found"),
    `  frameworks:        ${f.frameworks.length > 0 ? f.frameworks.join(", ") : "none recognised (plain Node)"}`,
    `  entrypoints:       ${f.entrypoints.length > 0 ? f.entrypoints.join(", ") : "none found"}`,
    `  side-effect sites: ${f.sideEffectSites}${f.testSites > 0 ? ` (and ${f.testSites} in test files, not gated)` : ""}`,
    `  tool handlers:     ${f.toolHandlers}`,
  ];
  if (f.packageManager) lines.push(`  package manager:   ${f.packageManager}`);
  return lines.join("\n") + "\n";
}

function summaryText(s: WizardSummary): string {
  const lines = [
    "",
    color.bold("Summary"),
    `  mode: ${s.mode}`,
    `  files changed: ${s.applied ? (s.report?.summary.filesChanged ?? 0) : 0}${s.excluded.length > 0 ? ` (turned off: ${s.excluded.join(", ")})` : ""}`,
    `  coding agents: ${
      s.mcp
        .filter((r) => r.status === "create" || r.status === "update" || r.status === "unchanged")
        .map((r) => r.clientName)
        .join(", ") || "none"
    }`,
  ];
  if (s.report) lines.push(...renderManualIntegration(s.report.skipped).map((line) => `  ${line}`));
  if (s.sdk) lines.push(...renderSdkStatus(s.sdk).map((line) => `  ${line.trimStart()}`));
  if (s.tests) lines.push(...renderTestWiring(s.tests).map((line) => `  ${line.trimStart()}`));
  if (s.validation) lines.push(`  validation: ${s.validation.passed ? color.green("passed") : color.red("failed")}`);
  lines.push("", color.bold("Next steps"), ...s.nextSteps.map((n) => `  • ${n}`));
  return lines.join("\n") + "\n";
}

/** Writes progress and results as plain text to stdout. */
function printer(
  write: (text: string) => void,
): Pick<WizardIO, "showFindings" | "showValidation" | "showMcpInstall" | "showSummary"> {
  return {
    showFindings: (f) => write(findingsText(f)),
    showValidation: (report) => write(renderValidation(report)),
    showMcpInstall: (results) => write(renderInstallResults(results, false)),
    showSummary: (s) => write(summaryText(s)),
  };
}

/** Headless: every answer comes from flags or defaults; nothing is asked. */
export function headlessIO(write: (text: string) => void = (t) => process.stdout.write(t)): WizardIO {
  return {
    ...printer(write),
    confirm: async (message, { headless }) => {
      // Said, so a log shows what was decided without asking.
      write(`${headless ? color.yellow("!") : color.red("✖")} ${message} ${headless ? "yes (--yes)" : "no"}\n`);
      return headless;
    },
    chooseMode: async (recommended) => recommended,
    reviewChanges: async () => [],
    progress: async (label, work) => {
      write(`… ${label}\n`);
      try {
        await work();
      } catch (error) {
        write(`${color.red("✖")} ${label}: stopped\n`);
        throw error;
      }
      write(`${color.green("✔")} ${label}\n`);
    },
    chooseClients: async () => [],
    askValidateCommand: async () => "",
  };
}

/** Interactive: ink prompts for every choice not given as a flag. */
export function interactiveIO(): WizardIO {
  const write = (t: string) => process.stdout.write(t);
  return {
    ...printer(write),
    chooseMode: async (recommended) => {
      const { renderSelect } = await import("../ui/prompts.js");
      return renderSelect<ModeId>({
        message: "How should the SDK be wired in?",
        choices: MODE_CHOICES,
        initial: recommended,
      });
    },
    reviewChanges: async (files) => {
      const { renderDiffReview } = await import("../ui/prompts.js");
      return renderDiffReview(files);
    },
    progress: async (label, work) => {
      write(`… ${label}\n`);
      try {
        await work();
      } catch (error) {
        // Never leave the step half-drawn: say it stopped, then let the error be reported.
        write(`${color.red("✖")} ${label}: stopped\n`);
        throw error;
      }
      write(`${color.green("✔")} ${label}\n`);
    },
    confirm: async (message, { details }) => {
      if (details) write(`${details}\n`);
      const { confirm } = await import("../ui/prompts.js");
      return confirm({ message, initial: false });
    },
    chooseClients: async () => {
      const { renderMultiSelect } = await import("../ui/prompts.js");
      return renderMultiSelect<ClientId>({
        message: "Install the Governor docs MCP server into which coding agents?",
        choices: CLIENTS.map((c) => ({ value: c.id, label: c.name })),
      });
    },
    askValidateCommand: async (suggestion) => {
      const { renderTextPrompt } = await import("../ui/prompts.js");
      return renderTextPrompt({
        message: "Command to validate against the local mock (empty to skip)",
        placeholder: suggestion ? `e.g. ${suggestion}` : "e.g. node src/agent.js",
      });
    },
  };
}
