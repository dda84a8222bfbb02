/** `governor-init demo`: copy the bundled example agent, apply, validate against the mock, print it all. */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { packageRoot, runValidation, type ValidationReport } from "../enforce-mock/validate/index.js";
import type { PlanReport } from "./engines.js";
import { loadCodemods } from "./engines.js";
import { colorDiff } from "./commands/mcp-install.js";
import { renderPlan, renderValidation } from "./render.js";
import { color } from "./ui/color.js";

/** What the demo did. */
export interface DemoResult {
  dir: string;
  plan: PlanReport;
  diffs: string[];
  validation: ValidationReport;
  /** The integration applied and every decision matched the demo policy's intent (some allowed, some denied, nothing ungoverned). */
  ok: boolean;
}

/** Runs the demo; `write` receives the human-readable narration. */
export async function runDemo(options: { keep?: boolean; write: (text: string) => void }): Promise<DemoResult> {
  const { write } = options;
  const source = path.join(packageRoot(), "templates", "demo-app");
  const dir = mkdtempSync(path.join(tmpdir(), "governor-demo-"));
  try {
    cpSync(source, dir, { recursive: true });
    write(color.bold(`1. Copied the example agent app to ${dir}\n`));
    write(
      color.dim(
        "   A plain agent loop with four tools: get_weather (HTTP GET), save_note (file write), disk_usage (child process), send_payment (HTTP POST).\n\n",
      ),
    );

    const engine = await loadCodemods();
    const mode = "hybrid" as const;
    const { report, changes } = await engine.plan(dir, { mode });
    await engine.apply(dir, { mode, allowDirty: true });
    write(
      color.bold(`2. Applied the integration (mode ${mode}, no install: the SDK bundled with governor-init is used)\n`),
    );
    write(renderPlan(report, []));
    for (const change of changes) write(colorDiff(change.diff) + "\n");

    const policy = path.join(dir, "governor-policy.yaml");
    write(color.bold("\n3. Ran the agent against the local enforce mock with governor-policy.yaml\n"));
    write(color.dim("   allow: reading APIs, writing files · deny: payments, running programs\n\n"));
    const validation = await runValidation({
      dir,
      command: [process.execPath, "src/agent.js"],
      policy,
      output: "pipe",
    });
    for (const line of (validation.stdout ?? "").trim().split("\n")) write(`   ${color.dim("agent │")} ${line}\n`);
    write("\n" + renderValidation(validation));
    const allowed = validation.decisions.some((d) => d.decision === "ALLOW");
    const denied = validation.decisions.some((d) => d.decision === "DENY");
    const ok = allowed && denied && validation.ungoverned.length === 0;
    write(
      ok
        ? color.green(
            "\n✔ Demo complete: allowed calls ran, denied calls never happened, and nothing ran without a decision.\n",
          )
        : color.red("\n✖ The demo did not behave as expected (see above).\n"),
    );
    if (options.keep) write(color.dim(`The app is kept at ${dir}\n`));
    return { dir, plan: report, diffs: changes.map((c) => c.diff), validation, ok };
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}
