/**
 * Benchmark: `plan` over a generated tree of 5,000+ TS files, side by side with a single-pattern
 * ast-grep scan of the same tree (`ast-grep run -p 'fetch($$$)' --lang ts`), run back to back.
 *
 *   npx tsx bench/codemods-plan.ts [--files 5000] [--runs 5]
 *
 * The tree (bench/.work/tree, git-ignored, regenerated each run) is a realistic mix: most files are
 * plain modules with no side effects; some call fetch / fs / child_process / axios; some define agent
 * tools (OpenAI Agents, Vercel AI SDK, MCP). Reported: files/s and wall time (median of the runs) for
 * plan in hybrid and wrap modes, the ast-grep scan, the ratio plan/ast-grep (goal ≤ 3×), and a no-op
 * re-run (plan on an already-applied copy; goal ≤ 1×).
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { apply, plan } from "../codemods/index.js";

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const FILES = flag("files", 5000);
const RUNS = flag("runs", 5);

const repo = fileURLToPath(new URL("../", import.meta.url));
const work = join(repo, "bench/.work");
const tree = join(work, "tree");
const applied = join(work, "applied");
/** The applied tree without .governor/: a no-op re-run that must analyse every file. */
const appliedBare = join(work, "applied-bare");
const astGrep = join(repo, "node_modules/.bin/ast-grep");

// --- tree generation -------------------------------------------------------------------------------

function plainModule(i: number): string {
  return `import type { Config${i % 7} } from "../types/config.js";
import { clamp, formatDate } from "../util/helpers.js";

/** Pure helpers for feature ${i}: no I/O. */
export interface Item${i} {
  id: string;
  createdAt: Date;
  score: number;
  tags: string[];
}

export function normalise${i}(items: Item${i}[], config: Config${i % 7}): Item${i}[] {
  return items
    .filter((item) => item.tags.length > 0)
    .map((item) => ({ ...item, score: clamp(item.score * ${(i % 5) + 1}, 0, 100) }))
    .sort((a, b) => b.score - a.score);
}

export function describe${i}(item: Item${i}): string {
  const when = formatDate(item.createdAt);
  switch (item.tags[0]) {
    case "urgent":
      return \`\${item.id} (urgent) since \${when}\`;
    case "later":
      return \`\${item.id} deferred\`;
    default:
      return \`\${item.id}: \${item.score}\`;
  }
}

export const DEFAULTS_${i} = Object.freeze({ limit: ${i % 50}, retries: 3, label: "feature-${i}" });
`;
}

function sideEffectModule(i: number): string {
  switch (i % 4) {
    case 0:
      return `export async function load${i}(id: string): Promise<unknown> {
  const response = await fetch(\`https://api.example.com/items/\${id}\`);
  if (!response.ok) throw new Error(String(response.status));
  return response.json();
}
`;
    case 1:
      return `import { writeFile, mkdir } from "node:fs/promises";

export async function save${i}(dir: string, body: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(\`\${dir}/out-${i}.json\`, body);
}
`;
    case 2:
      return `import { execFile } from "node:child_process";

export function gitLog${i}(cwd: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile("git", ["log", "-1"], { cwd }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );
}
`;
    default:
      return `import axios from "axios";

export async function post${i}(payload: unknown): Promise<number> {
  const { status } = await axios.post("https://hooks.example.com/${i}", payload);
  return status;
}
`;
  }
}

function toolModule(i: number): string {
  switch (i % 3) {
    case 0:
      return `import { tool } from "@openai/agents";
import { z } from "zod";

export const lookupOrder${i} = tool({
  name: "lookup_order_${i}",
  description: "Look up a customer order by id",
  parameters: z.object({ orderId: z.string() }),
  execute: async ({ orderId }) => {
    const response = await fetch(\`https://shop.example.com/orders/\${orderId}\`);
    return response.text();
  },
});
`;
    case 1:
      return `import { tool } from "ai";
import { z } from "zod";

export const sendEmail${i} = tool({
  description: "Send an email to a customer",
  inputSchema: z.object({ to: z.string(), body: z.string() }),
  execute: async ({ to, body }) => {
    await fetch("https://mail.example.com/send", { method: "POST", body: JSON.stringify({ to, body }) });
    return "sent";
  },
});
`;
    default:
      return `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

export function register${i}(server: McpServer): void {
  server.registerTool(
    "delete_file_${i}",
    { description: "Delete a file from the workspace", inputSchema: { path: z.string() } },
    async ({ path }) => ({ content: [{ type: "text", text: \`deleted \${path}\` }] }),
  );
}
`;
  }
}

function generate(root: string, count: number): { plain: number; sideEffects: number; tools: number } {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, "src"), { recursive: true });
  writeFileSync(
    join(root, "package.json"),
    JSON.stringify(
      {
        name: "bench-tree",
        type: "module",
        scripts: { start: "node dist/index.js" },
        dependencies: { "@openai/agents": "*", ai: "*", axios: "*" },
      },
      null,
      2,
    ),
  );
  writeFileSync(join(root, "src/index.ts"), 'import { load0 } from "./features/f0/effects.js";\nawait load0("1");\n');
  const counts = { plain: 0, sideEffects: 0, tools: 0 };
  for (let i = 0; i < count; i++) {
    const dir = join(root, "src/features", `f${Math.floor(i / 25)}`);
    mkdirSync(dir, { recursive: true });
    const roll = i % 20;
    // 85% plain, 10% side effects, 5% tool definitions.
    if (i === 0 || roll === 1 || roll === 2) {
      writeFileSync(join(dir, i === 0 ? "effects.ts" : `effects-${i}.ts`), sideEffectModule(i));
      counts.sideEffects++;
    } else if (roll === 3) {
      writeFileSync(join(dir, `tool-${i}.ts`), toolModule(i));
      counts.tools++;
    } else {
      writeFileSync(join(dir, `mod-${i}.ts`), plainModule(i));
      counts.plain++;
    }
  }
  return counts;
}

// --- measurement -----------------------------------------------------------------------------------

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timePlan(root: string, mode: "hybrid" | "wrap"): Promise<{ ms: number; changed: number }> {
  const start = performance.now();
  const result = await plan(root, { mode });
  return { ms: performance.now() - start, changed: result.report.summary.filesChanged };
}

function timeAstGrep(root: string): { ms: number; matches: number } {
  const start = performance.now();
  const run = spawnSync(astGrep, ["run", "-p", "fetch($$$)", "--lang", "ts", "--json=compact", root], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - start;
  if (run.status !== 0 && run.status !== 1) throw new Error(`ast-grep failed: ${run.stderr}`);
  return { ms, matches: (JSON.parse(run.stdout || "[]") as unknown[]).length };
}

const counts = generate(tree, FILES);
const total = FILES + 1;
console.log(
  `tree: ${total} TS files (${counts.plain} plain, ${counts.sideEffects} with side effects, ${counts.tools} tool modules)`,
);
console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? "?"}, node ${process.version}`);

// Cold run: the first plan includes loading Babel and the transforms.
const cold = await timePlan(tree, "hybrid");
console.log(`cold first plan (hybrid, module loading included): ${cold.ms.toFixed(0)} ms`);

cpSync(tree, applied, { recursive: true });
await apply(applied, { mode: "hybrid", allowDirty: true });
await apply(applied, { mode: "wrap", allowDirty: true });
rmSync(appliedBare, { recursive: true, force: true });
cpSync(applied, appliedBare, { recursive: true });
rmSync(join(appliedBare, ".governor"), { recursive: true, force: true });

const samples = {
  hybrid: [] as number[],
  wrap: [] as number[],
  astGrep: [] as number[],
  noop: [] as number[],
  noopWrap: [] as number[],
  bare: [] as number[],
  bareWrap: [] as number[],
};
let changed = { hybrid: 0, wrap: 0, matches: 0, noop: 0 };
for (let run = 0; run < RUNS; run++) {
  const g = timeAstGrep(tree);
  samples.astGrep.push(g.ms);
  const h = await timePlan(tree, "hybrid");
  samples.hybrid.push(h.ms);
  const w = await timePlan(tree, "wrap");
  samples.wrap.push(w.ms);
  const n = await timePlan(applied, "hybrid");
  samples.noop.push(n.ms);
  const nw = await timePlan(applied, "wrap");
  samples.noopWrap.push(nw.ms);
  const b = await timePlan(appliedBare, "hybrid");
  samples.bare.push(b.ms);
  const bw = await timePlan(appliedBare, "wrap");
  samples.bareWrap.push(bw.ms);
  changed = {
    hybrid: h.changed,
    wrap: w.changed,
    matches: g.matches,
    noop: n.changed + nw.changed + b.changed + bw.changed,
  };
}

const row = (label: string, ms: number) =>
  `${label.padEnd(38)} ${ms.toFixed(0).padStart(6)} ms  ${((total / ms) * 1000).toFixed(0).padStart(7)} files/s`;
const grep = median(samples.astGrep);
console.log(`\nmedian of ${RUNS} runs, back to back:`);
console.log(row(`ast-grep -p 'fetch($$$)' (${changed.matches} matches)`, grep));
console.log(row(`plan hybrid (${changed.hybrid} files changed)`, median(samples.hybrid)));
console.log(row(`plan wrap (${changed.wrap} files changed)`, median(samples.wrap)));
console.log(row(`no-op plan hybrid on applied tree`, median(samples.noop)));
console.log(row(`no-op plan wrap on applied tree`, median(samples.noopWrap)));
console.log(row(`no-op plan hybrid, no manifest`, median(samples.bare)));
console.log(row(`no-op plan wrap, no manifest`, median(samples.bareWrap)));
console.log(`\nratio plan hybrid / ast-grep: ${(median(samples.hybrid) / grep).toFixed(2)}× (goal ≤ 3×)`);
console.log(`ratio plan wrap   / ast-grep: ${(median(samples.wrap) / grep).toFixed(2)}×`);
console.log(
  `ratio no-op hybrid / ast-grep: ${(median(samples.noop) / grep).toFixed(2)}× (goal ≤ 1×); no-op changes: ${changed.noop}`,
);
console.log(`ratio no-op wrap   / ast-grep: ${(median(samples.noopWrap) / grep).toFixed(2)}×`);
console.log(`ratio no-op hybrid, no manifest / ast-grep: ${(median(samples.bare) / grep).toFixed(2)}×`);
console.log(`ratio no-op wrap,   no manifest / ast-grep: ${(median(samples.bareWrap) / grep).toFixed(2)}×`);

// The generated trees sit under the repo (so nothing resolves outside it); remove them so the root
// tsconfig and vitest never crawl 15,000 generated files.
rmSync(work, { recursive: true, force: true });
