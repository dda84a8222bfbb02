import type { Command } from "commander";
import { handleError } from "../handle-error.js";
import { parseOptions } from "../options.js";

/** `governor-init docs search`: the docs the MCP server serves, from the terminal. */
export function registerDocsCommand(program: Command): void {
  const docs = program.command("docs").description("Search the Governor docs bundled with governor-init.");
  docs
    .command("search")
    .description("Search the docs; prints the best sections whole.")
    .argument("<query>", 'what to look for, e.g. "wrap an OpenAI Agents tool"')
    .option("--limit <n>", "most results", "5")
    .option("--framework <id>", "only that framework's recipes and the general guides")
    .option("--json", "print results as JSON")
    .action(async (query: string, raw: Record<string, unknown>) => {
      const json = raw.json === true;
      try {
        const options = parseOptions((await import("../schemas.js")).searchOptions, { ...raw, query });
        const { search } = await import("../../docs-corpus/src/index.js");
        const results = search(options.query, { limit: options.limit, framework: options.framework });
        if (json) {
          process.stdout.write(JSON.stringify({ query: options.query, results }, null, 2) + "\n");
          return;
        }
        if (results.length === 0) process.stdout.write(`No results for "${options.query}".\n`);
        for (const r of results) {
          process.stdout.write(`\n── ${r.title} › ${r.headingPath.join(" › ")}  (${r.uri})\n\n${r.text.trim()}\n`);
        }
      } catch (error) {
        process.exitCode = handleError(error, { json });
      }
    });
}
