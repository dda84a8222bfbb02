import type { Command } from "commander";
import { parseOptions } from "../options.js";

function shortTarget(record: {
  canonical_intent: { action: string; resource: { type: string; name?: string } };
}): string {
  const { action, resource } = record.canonical_intent;
  return `${action} ${resource.type}${resource.name ? `/${resource.name}` : ""}`;
}

/** `governor-init mock`: the bundled enforce mock. The engine lives in `enforce-mock/`. */
export function registerMockCommand(program: Command): void {
  program
    .command("mock")
    .description(
      "Start the local enforce mock (POST /api/v2/enforce and siblings). The first stdout line holds its URL.",
    )
    .option("--port <n>", "port to listen on; 0 picks a free port", "4319")
    .option("--host <host>", "interface to bind", "127.0.0.1")
    .option("--policy <policy>", "allow-all, deny-all, or a YAML/JSON policy file", "allow-all")
    .option("--api-key <key>", "the only API key accepted (default: any non-empty key)")
    .option("--token-secret <secret>", "sign decision tokens with this secret")
    .option("--token-ttl <ms>", "decision token lifetime in milliseconds (default 30000)")
    .option("--latency <ms>", "fault: add this delay to every enforce answer")
    .option("--error-rate <r>", "fault: share 0..1 of enforce requests answered 500")
    .option("--fail-status <code>", "fault: answer every enforce request with this status (400..599)")
    .option("--drop-rate <r>", "fault: share 0..1 of enforce connections dropped without an answer")
    .option("--malformed-rate <r>", "fault: share 0..1 of enforce requests answered 200 with a malformed body")
    .option("--decision-log <file>", "append every decision to this file as JSON lines")
    .option("--quiet", "do not print a line per decision")
    .addHelpText(
      "after",
      "\nEndpoints: POST /api/v2/enforce, POST /api/v2/canonicalize, POST /api/v2/policies/install,\n" +
        "GET /health, GET /mock/decisions[?request_id=], POST /mock/faults. Stop with Ctrl-C.",
    )
    .action(async (raw: Record<string, unknown>) => {
      const options = parseOptions((await import("../schemas.js")).mockOptions, raw, "`governor-init mock`");
      const { startMockServer } = await import("../../enforce-mock/index.js");
      const faults = {
        latencyMs: options.latency,
        errorRate: options.errorRate,
        status: options.failStatus,
        dropRate: options.dropRate,
        malformedRate: options.malformedRate,
      };
      const server = await startMockServer({
        port: options.port,
        host: options.host,
        policy: options.policy,
        apiKey: options.apiKey,
        tokenSecret: options.tokenSecret,
        tokenTtlMs: options.tokenTtl,
        faults,
        decisionLog: options.decisionLog,
        onDecision: options.quiet
          ? undefined
          : (record) => {
              const rule = record.matched_rule ? `rule ${record.matched_rule}` : "default";
              process.stdout.write(
                `${record.decision} ${shortTarget(record)} (${rule}) ${record.enforcement_latency_ms}ms ${record.request_id}\n`,
              );
            },
      });
      process.stdout.write(`governor-init mock listening on ${server.url}\n`);
      const active = server.policy();
      process.stderr.write(
        `policy: ${active.name} (${active.stats.rules} rules, default ${active.default}); ` +
          `auth: ${options.apiKey ? "--api-key required" : "any non-empty key"}; ` +
          `tokens: ${options.tokenSecret ? "signed" : "off"}. Ctrl-C to stop.\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          void server.close().then(resolve);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    });
}
