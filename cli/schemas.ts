/**
 * The one option schema of each command. Loaded inside actions only: zod costs more start-up time
 * than the whole command tree, and `governor-init --help` must stay fast.
 */
import { z } from "zod";
import { CLIENT_IDS, DEFAULT_SERVER_NAME } from "../templates/clients.js";
import { DEFAULT_MODE, MODE_IDS } from "../templates/modes.js";
import { HOOK_CLIENT_IDS } from "../templates/hook-clients.js";

/** `--client a,b --client c` → `["a", "b", "c"]`: a repeatable flag whose values may also be comma-separated. */
function splitCommaList(values: string[]): string[] {
  return values
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter(Boolean);
}

/** Options of the command that uses `planOptions`. */
export const planOptions = z.object({
  dir: z.string().default("."),
  mode: z.enum(MODE_IDS).default(DEFAULT_MODE),
  exclude: z.array(z.string()).optional(),
  json: z.boolean().default(false),
});

/** Options of the command that uses `applyOptions`. */
export const applyOptions = z.object({
  dir: z.string().default("."),
  mode: z.enum(MODE_IDS).default(DEFAULT_MODE),
  exclude: z.array(z.string()).optional(),
  yes: z.boolean().default(false),
  allowDirty: z.boolean().default(false),
  install: z.boolean().default(true),
  sdkSource: z.enum(["auto", "registry", "vendor"]).default("auto"),
  testSetup: z.boolean().default(true),
  json: z.boolean().default(false),
});

/** Options of the command that uses `undoOptions`. */
export const undoOptions = z.object({
  dir: z.string().default("."),
  dryRun: z.boolean().default(false),
  json: z.boolean().default(false),
});

/** Options of the command that uses `checkOptions`. */
export const checkOptions = z.object({
  dir: z.string().default("."),
  json: z.boolean().default(false),
  includeTests: z.boolean().default(false),
  format: z.enum(["text", "json", "sarif"]).default("text"),
});

/** Options of the command that uses `validateOptions`. */
export const validateOptions = z.object({
  dir: z.string().default("."),
  command: z.array(z.string()).min(1, "pass the command to run after --, e.g. -- node src/agent.js"),
  policy: z.string().default("allow-all"),
  timeout: z.coerce.number().int().positive().optional(),
  json: z.boolean().default(false),
});

/** Options of the command that uses `searchOptions`. */
export const searchOptions = z.object({
  query: z.string().trim().min(1, "give a query"),
  limit: z.coerce.number().int().min(1).max(50).default(5),
  framework: z.string().optional(),
  json: z.boolean().default(false),
});

/** Options of the command that uses `mcpInstallOptions`. */
export const mcpInstallOptions = z.object({
  client: z
    .array(z.string(), { error: `pass --client with one or more of: ${CLIENT_IDS.join(", ")}, all` })
    .min(1, "pass --client (one of the clients, or all)")
    .transform(splitCommaList)
    .pipe(z.array(z.enum([...CLIENT_IDS, "all"]))),
  scope: z.enum(["project", "user"]).optional(),
  name: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '-' and '_' only")
    .default(DEFAULT_SERVER_NAME),
  dryRun: z.boolean().default(false),
  yes: z.boolean().default(false),
  json: z.boolean().default(false),
  dir: z.string().default("."),
});

/** Options of the command that uses `wizardOptions`. */
export const wizardOptions = z.object({
  dir: z.string().default("."),
  mode: z.enum(MODE_IDS).optional(),
  exclude: z.array(z.string()).optional(),
  yes: z.boolean().default(false),
  allowDirty: z.boolean().default(false),
  install: z.boolean().default(true),
  sdkSource: z.enum(["auto", "registry", "vendor"]).default("auto"),
  testSetup: z.boolean().default(true),
  client: z
    .array(z.string())
    .transform(splitCommaList)
    .pipe(z.array(z.enum([...CLIENT_IDS, "all", "none"])))
    .optional(),
  scope: z.enum(["project", "user"]).optional(),
  validate: z.string().optional(),
  policy: z.string().default("allow-all"),
  json: z.boolean().default(false),
});

/** Options of the command that uses `demoOptions`. */
export const demoOptions = z.object({ keep: z.boolean().default(false), json: z.boolean().default(false) });

const number = () => z.coerce.number({ error: "must be a number" });
const rate = number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1");

/** Options of `mock`, as commander hands them over (strings), validated and converted. */
export const mockOptions = z.object({
  port: number().int("must be an integer").min(0).max(65535).default(4319),
  host: z.string().trim().min(1, "must not be empty").default("127.0.0.1"),
  policy: z.string().trim().min(1, "must not be empty").default("allow-all"),
  apiKey: z.string().min(1, "must not be empty").optional(),
  tokenSecret: z.string().min(1, "must not be empty").optional(),
  tokenTtl: number().int("must be an integer").positive("must be positive").optional(),
  latency: number().min(0, "must be 0 or more").max(600_000).optional(),
  errorRate: rate.optional(),
  failStatus: number().int("must be an integer").min(400, "must be 400..599").max(599, "must be 400..599").optional(),
  dropRate: rate.optional(),
  malformedRate: rate.optional(),
  decisionLog: z.string().trim().min(1, "must not be empty").optional(),
  quiet: z.boolean().default(false),
});

/** Options of `hooks install` and `hooks uninstall`. */
export const hooksOptions = z.object({
  client: z
    .array(z.string(), { error: `pass --client with one or more of: ${HOOK_CLIENT_IDS.join(", ")}, all` })
    .min(1, "pass --client (one of the clients, or all)")
    .transform(splitCommaList)
    .pipe(z.array(z.enum([...HOOK_CLIENT_IDS, "all"]))),
  scope: z.enum(["project", "user"]).default("project"),
  dir: z.string().default("."),
  reads: z.boolean().default(false),
  command: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .regex(/^[^\r\n]+$/, "must be one line")
    .optional(),
  onFailure: z.enum(["auto", "block", "omit"]).default("auto"),
  dryRun: z.boolean().default(false),
  json: z.boolean().default(false),
});
/** Options of `proxy`: the governed server (a command after `--`, or `--url`) and how to serve the client. */
export const proxyOptions = z
  .object({
    command: z.array(z.string()).default([]),
    url: z.url({ error: "must be an http(s) URL, e.g. http://127.0.0.1:8080/mcp" }).optional(),
    header: z.array(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+:.*$/, 'must be "Name: value"')).default([]),
    bearerEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be the name of an environment variable")
      .optional(),
    name: z.string().trim().min(1, "must not be empty").optional(),
    overrides: z.string().trim().min(1, "must not be empty").optional(),
    failMode: z.enum(["closed", "open"]).optional(),
    http: z.boolean().default(false),
    port: z.coerce.number({ error: "must be a number" }).int().min(0).max(65535).default(0),
    host: z.string().trim().min(1, "must not be empty").default("127.0.0.1"),
    token: z.string().min(1, "must not be empty").optional(),
  })
  .superRefine((options, ctx) => {
    if (options.command.length === 0 && options.url === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["url"],
        message:
          "is needed, or the server's command after --, e.g. governor-init proxy -- npx -y @modelcontextprotocol/server-filesystem .",
      });
    } else if (options.command.length > 0 && options.url !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["url"],
        message: "cannot be combined with a command after --; give one server",
      });
    } else if (options.url === undefined && (options.header.length > 0 || options.bearerEnv !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["header"], message: "and --bearer-env apply to --url servers only" });
    }
  });

/** Options of `mcp install --proxy NAME` / `--unproxy NAME`: which entry, in which clients' configs. */
export const mcpProxyEntryOptions = z
  .object({
    proxy: z.string().trim().min(1, "must name the server entry").optional(),
    unproxy: z.string().trim().min(1, "must name the server entry").optional(),
    client: z
      .array(z.string(), { error: `pass --client with one or more of: ${CLIENT_IDS.join(", ")}` })
      .min(1, "pass --client")
      .transform(splitCommaList)
      .pipe(z.array(z.enum(CLIENT_IDS))),
    scope: z.enum(["project", "user"]).optional(),
    dryRun: z.boolean().default(false),
    json: z.boolean().default(false),
    dir: z.string().default("."),
  })
  .refine((o) => (o.proxy === undefined) !== (o.unproxy === undefined), {
    path: ["proxy"],
    message: "and --unproxy cannot be combined; give one",
  });
