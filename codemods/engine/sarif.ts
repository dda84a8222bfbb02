/**
 * `check` as SARIF 2.1.0 (the OASIS Static Analysis Results Interchange Format), the format code
 * scanning UIs read (GitHub code scanning, Azure DevOps, VS Code's SARIF viewer): each ungoverned
 * site, TODO(governor) marker and unanalysable file becomes a result at its file and line. Findings in
 * test files (outside the gate by default) are results of level `note`.
 */
import type { CheckFinding, CheckResult } from "./check.js";

/** The rule behind each kind of finding. */
const RULES: Record<
  CheckFinding["kind"],
  { id: string; name: string; short: string; full: string; level: "error" | "warning" }
> = {
  "ungoverned-site": {
    id: "GOV001",
    name: "UngovernedSideEffect",
    short: "Side effect without a Governor decision",
    full: "A side-effecting call (HTTP, file system, child process, SQL) that is not wrapped with govern(), not inside an intent scope, and not covered by the @governor/sdk/register preload: it runs without asking the policy service.",
    level: "error",
  },
  todo: {
    id: "GOV002",
    name: "IntentTodo",
    short: "Intent left to fill in (TODO(governor))",
    full: "governor-init could not infer part of a tool's intent and left a TODO(governor) marker: replace it with the intent's real action or resource.",
    level: "warning",
  },
  unanalysable: {
    id: "GOV003",
    name: "Unanalysable",
    short: "File governor-init could not analyse",
    full: "The file could not be read or parsed, so check cannot vouch for it: make it parse, or leave it out on purpose with --exclude.",
    level: "error",
  },
};

const KINDS = Object.keys(RULES) as CheckFinding["kind"][];

/** A SARIF 2.1.0 log (the parts this writer uses). */
export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: Array<Record<string, unknown>>;
}

function result(finding: CheckFinding, inTests: boolean): Record<string, unknown> {
  const rule = RULES[finding.kind];
  const physicalLocation: Record<string, unknown> = {
    artifactLocation: { uri: finding.path.split("\\").join("/"), uriBaseId: "%SRCROOT%" },
  };
  if (finding.line > 0) physicalLocation.region = { startLine: finding.line };
  return {
    ruleId: rule.id,
    ruleIndex: KINDS.indexOf(finding.kind),
    level: inTests ? "note" : rule.level,
    message: { text: `${finding.message}${inTests ? " (test file: outside the gate)" : ""}. Fix: ${finding.fix}` },
    locations: [{ physicalLocation }],
    ...(finding.siteId ? { partialFingerprints: { governorSiteId: finding.siteId } } : {}),
  };
}

/** The SARIF 2.1.0 log of a {@link CheckResult}. */
export function toSarif(check: CheckResult, tool: { version?: string } = {}): SarifLog {
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "governor-init",
            ...(tool.version ? { semanticVersion: tool.version } : {}),
            rules: KINDS.map((kind) => ({
              id: RULES[kind].id,
              name: RULES[kind].name,
              shortDescription: { text: RULES[kind].short },
              fullDescription: { text: RULES[kind].full },
              defaultConfiguration: { level: RULES[kind].level },
            })),
          },
        },
        results: [
          ...check.findings.map((f) => result(f, false)),
          ...(check.testFiles?.findings ?? []).map((f) => result(f, true)),
        ],
        properties: { summary: check.summary, ok: check.ok },
      },
    ],
  };
}
