import { describe, expect, it } from "vitest";
import {
  TODO_ACTION,
  TODO_RESOURCE_TYPE,
  inferIntent,
  inferIntentFromSites,
  isPiiParameter,
  sqlAction,
  type SideEffect,
  type SideEffectIntent,
  tokenize,
  type InferredIntent,
  type ToolDescriptionInput,
} from "./infer-intent.js";

const cases: [ToolDescriptionInput, InferredIntent][] = [
  [
    { name: "save_note", description: "Save a note for the customer to a file" },
    { action: "write", resource: { type: "filesystem" } },
  ],
  [{ name: "send_email_to_customer" }, { action: "write", resource: { type: "email" } }],
  [{ name: "query_orders_table" }, { action: "read", resource: { type: "database", name: "order" } }],
  [{ name: "get_weather" }, { action: "read", resource: { type: "external_api", name: "weather" } }],
  [{ name: "fetchUrl" }, { action: "read", resource: { type: "external_api" } }],
  [{ name: "search-web" }, { action: "read", resource: { type: "external_api" } }],
  [{ name: "list_orders" }, { action: "read", resource: { type: "database", name: "order" } }],
  [
    { name: "lookupCustomer", parameters: { customerEmail: {} } },
    { action: "read", resource: { type: "database", name: "customer" }, data: { pii: true } },
  ],
  [
    { name: "query_database", description: "Run a read-only SQL query" },
    { action: "read", resource: { type: "database" } },
  ],
  [{ name: "createStripeCharge" }, { action: "write", resource: { type: "external_api", name: "stripe" } }],
  [{ name: "send_slack_message" }, { action: "write", resource: { type: "external_api", name: "slack" } }],
  [
    { name: "sendEmail", parameters: ["to", "subject"] },
    { action: "write", resource: { type: "email" } },
  ],
  [{ name: "upload_file" }, { action: "write", resource: { type: "filesystem" } }],
  [{ name: "saveDocument" }, { action: "write", resource: { type: "filesystem" } }],
  [
    { name: "add_user", parameters: { type: "object", properties: { phone: { type: "string" } } } },
    { action: "write", resource: { type: "database", name: "user" }, data: { pii: true } },
  ],
  [{ name: "set_record" }, { action: "write", resource: { type: "database", name: "record" } }],
  [{ name: "delete_file" }, { action: "delete", resource: { type: "filesystem" } }],
  [{ name: "removeUser" }, { action: "delete", resource: { type: "database", name: "user" } }],
  [{ name: "drop_table" }, { action: "delete", resource: { type: "database" } }],
  [{ name: "cancel_order" }, { action: "delete", resource: { type: "database", name: "order" } }],
  [{ name: "run_shell_command" }, { action: "execute", resource: { type: "process" } }],
  [{ name: "exec_script" }, { action: "execute", resource: { type: "process" } }],
  [{ name: "invoke_api" }, { action: "execute", resource: { type: "external_api" } }],
  [
    { name: "bulk_update_orders", parameters: { type: "object", properties: { ids: { type: "array" } } } },
    { action: "write", resource: { type: "database", name: "order" }, data: { volume: "bulk" } },
  ],
  [
    { name: "export_all_customers" },
    {
      action: "TODO(governor): choose an action (read, write, delete, execute)",
      resource: { type: "database", name: "customer" },
      data: { volume: "bulk" },
    },
  ],
  [
    { name: "weather", description: "Call this tool to get the forecast" },
    { action: "read", resource: { type: "external_api", name: "weather" } },
  ],
  [
    { name: "publish", description: "Publishes the message to the events queue" },
    { action: "write", resource: { type: "message_queue" } },
  ],
  [
    { name: "update_profile", parameters: { fileName: {}, firstName: {} } },
    { action: "write", resource: { type: "database", name: "profile" }, data: { pii: true } },
  ],
  // Verbs and nouns from the vocabulary table (core/vocabulary/vocabulary.ts), the one table the mock shares.
  [
    { name: "run_tests", description: "Run the project's test suite" },
    { action: "execute", resource: { type: "process" } },
  ],
  [{ name: "runTestSuite" }, { action: "execute", resource: { type: "process" } }],
  // "service" is a local daemon as often as a remote API: the resource stays for a human to choose.
  [{ name: "restart_service" }, { action: "execute", resource: { type: TODO_RESOURCE_TYPE } }],
  [{ name: "get_status_page" }, { action: "read", resource: { type: "external_api" } }],
  [{ name: "deploy_website" }, { action: "execute", resource: { type: "external_api" } }],
  [{ name: "refund_payment" }, { action: "write", resource: { type: "database", name: "payment" } }],
  [{ name: "book_flight" }, { action: "write", resource: { type: "external_api", name: "flight" } }],
  [{ name: "clear_cache_dir" }, { action: "delete", resource: { type: "filesystem" } }],
  [{ name: "summarize_document" }, { action: "read", resource: { type: "filesystem" } }],
  // A test fixture user is still a user row, not a test run.
  [{ name: "create_test_user" }, { action: "write", resource: { type: "database", name: "user" } }],
];

describe("inferIntent", () => {
  it.each(cases)("%j", (input, expected) => {
    expect(inferIntent(input).intent).toEqual(expected);
  });

  it("is confident only when both the verb and the noun are known", () => {
    expect(inferIntent({ name: "get_weather" }).confident).toBe(true);
    const unknown = inferIntent({ name: "do_magic", description: "Makes things happen" });
    expect(unknown.confident).toBe(false);
    expect(unknown.intent).toEqual({ action: TODO_ACTION, resource: { type: TODO_RESOURCE_TYPE } });
    expect(inferIntent({ name: "notify_team" }).confident).toBe(false);
    expect(inferIntent({}).confident).toBe(false);
  });

  it("explains every field it set", () => {
    const result = inferIntent({
      name: "delete_users",
      parameters: { type: "object", properties: { emails: { type: "array" } } },
    });
    expect(Object.keys(result.explanation).sort()).toEqual([
      "action",
      "data.pii",
      "data.volume",
      "resource.name",
      "resource.type",
    ]);
    expect(result.explanation.action).toContain('"delete"');
    expect(result.explanation["data.volume"]).toContain('"emails"');
  });

  it("does not take a file name for a person's name", () => {
    expect(inferIntent({ name: "read_file", parameters: ["fileName"] }).intent.data).toBeUndefined();
    // A bare `name` is a file's, a report's or a channel's name far more often than a person's.
    expect(inferIntent({ name: "saveReport", parameters: ["name", "body"] }).intent.data).toBeUndefined();
  });

  it("names the resource from a path, url, table or command parameter when it has no static name", () => {
    expect(inferIntent({ name: "read_file", parameters: ["path"] }).intent).toEqual({
      action: "read",
      resource: { type: "filesystem" },
      resourceNameFrom: "path",
    });
    expect(
      inferIntent({ name: "fetch_page", description: "Fetch a URL", parameters: ["url"] }).intent.resourceNameFrom,
    ).toBe("url");
    expect(inferIntent({ name: "run_shell", parameters: ["command"] }).intent.resourceNameFrom).toBe("command");
    // A service already names the resource; a path of another resource type does not rename it.
    expect(inferIntent({ name: "get_weather", parameters: ["url"] }).intent.resourceNameFrom).toBeUndefined();
    expect(inferIntent({ name: "query_sql", parameters: ["path"] }).intent.resourceNameFrom).toBeUndefined();
  });

  it("is deterministic", () => {
    const input = {
      name: "sendInvoiceEmail",
      description: "Send all invoices",
      parameters: { to: {}, ids: { type: "array" } },
    };
    expect(inferIntent(input)).toEqual(inferIntent(input));
  });

  it("tokenizes camelCase, snake_case, kebab-case and acronyms", () => {
    expect(tokenize("getHTTPResponse_for-user")).toEqual(["get", "http", "response", "for", "user"]);
  });
});

const piiCases: [string, boolean][] = [
  ["email", true],
  ["customerEmail", true],
  ["phone_number", true],
  ["ssn", true],
  ["address", true],
  ["home_address", true],
  ["date_of_birth", true],
  ["dob", true],
  ["birthDate", true],
  ["passport", true],
  ["passportNumber", true],
  ["credit_card", true],
  ["cardNumber", true],
  ["full_name", true],
  ["firstName", true],
  ["last_name", true],
  ["lastname", true],
  ["customer_name", true],
  ["userName", true],
  ["username", true],
  ["name", false],
  ["title", false],
  ["file", false],
  ["fileName", false],
  ["file_name", false],
  ["filename", false],
  ["path", false],
  ["projectName", false],
  ["channel_name", false],
  ["card", false],
  ["number", false],
  ["body", false],
];

describe("isPiiParameter", () => {
  it.each(piiCases)("%s → %s", (name, pii) => {
    expect(isPiiParameter(name)).toBe(pii);
  });
});

type SiteCase = [string, SideEffect[], Pick<SideEffectIntent, "action" | "resource"> | undefined];
const siteCases: SiteCase[] = [
  ["no side effect", [], undefined],
  [
    "fetch to a literal host, no method",
    [{ kind: "fetch", operation: "fetch", host: "docs.example.com", method: "GET" }],
    { action: "read", resource: { type: "external_api", name: "docs.example.com" } },
  ],
  [
    "fetch POST to a computed URL",
    [{ kind: "fetch", operation: "fetch", method: "POST" }],
    { action: "write", resource: { type: "external_api" } },
  ],
  [
    "fetch with a computed method",
    [{ kind: "fetch", operation: "fetch", host: "api.example.com" }],
    { resource: { type: "external_api", name: "api.example.com" } },
  ],
  [
    "axios.delete",
    [{ kind: "axios", operation: "delete", host: "api.example.com", method: "DELETE" }],
    { action: "delete", resource: { type: "external_api", name: "api.example.com" } },
  ],
  [
    "http.request PUT",
    [{ kind: "http", operation: "request", method: "PUT" }],
    { action: "write", resource: { type: "external_api" } },
  ],
  [
    "execFile du",
    [{ kind: "child_process", operation: "execFile", program: "du" }],
    { action: "execute", resource: { type: "process", name: "du" } },
  ],
  [
    "exec of a shell line",
    [{ kind: "child_process", operation: "exec", program: "sh" }],
    { action: "execute", resource: { type: "process", name: "sh" } },
  ],
  [
    "spawn of a computed program",
    [{ kind: "child_process", operation: "spawn" }],
    { action: "execute", resource: { type: "process" } },
  ],
  ["fs write", [{ kind: "fs", operation: "writeFile" }], { action: "write", resource: { type: "filesystem" } }],
  ["fs rm", [{ kind: "fs", operation: "rmSync" }], { action: "delete", resource: { type: "filesystem" } }],
  [
    "mkdir then writeFile",
    [
      { kind: "fs", operation: "mkdir" },
      { kind: "fs", operation: "writeFile" },
    ],
    { action: "write", resource: { type: "filesystem" } },
  ],
  [
    "SQL select",
    [{ kind: "sql", operation: "query", sql: "SELECT * FROM orders WHERE id = $1" }],
    { action: "read", resource: { type: "database" } },
  ],
  [
    "SQL delete",
    [{ kind: "sql", operation: "query", sql: "  delete from orders" }],
    { action: "delete", resource: { type: "database" } },
  ],
  ["SQL not a literal", [{ kind: "sql", operation: "query" }], { resource: { type: "database" } }],
  [
    "fetch and execFile: execute is the most consequential",
    [
      { kind: "fetch", operation: "fetch", host: "a.example.com", method: "GET" },
      { kind: "child_process", operation: "execFile", program: "git" },
    ],
    { action: "execute", resource: { type: "process", name: "git" } },
  ],
  [
    "file write and fs rm: delete",
    [
      { kind: "fetch", operation: "fetch", host: "a.example.com", method: "POST" },
      { kind: "fs", operation: "unlink" },
    ],
    { action: "delete", resource: { type: "filesystem" } },
  ],
  [
    "GET and POST to one host: write",
    [
      { kind: "fetch", operation: "fetch", host: "a.example.com", method: "GET" },
      { kind: "axios", operation: "post", host: "a.example.com", method: "POST" },
    ],
    { action: "write", resource: { type: "external_api", name: "a.example.com" } },
  ],
  [
    "two hosts: no single name",
    [
      { kind: "fetch", operation: "fetch", host: "a.example.com", method: "GET" },
      { kind: "fetch", operation: "fetch", host: "b.example.com", method: "GET" },
    ],
    { action: "read", resource: { type: "external_api" } },
  ],
];

describe("inferIntentFromSites", () => {
  it.each(siteCases)("%s", (_, effects, expected) => {
    const result = inferIntentFromSites(effects);
    if (expected === undefined) {
      expect(result).toBeUndefined();
      return;
    }
    expect({ action: result?.action, resource: result?.resource }).toEqual({
      action: expected.action,
      resource: expected.resource,
    });
  });

  it("says when it chose the most consequential of several kinds", () => {
    const result = inferIntentFromSites([
      { kind: "fetch", operation: "fetch", method: "GET" },
      { kind: "child_process", operation: "execFile", program: "du" },
    ]);
    expect(result?.summary).toContain("most consequential");
    expect(result?.explanation["resource.type"]).toContain("also: read external_api");
  });

  it("names the write that carries the data, not the mkdir before it (regression: 'from its body: mkdir')", () => {
    for (const order of [
      ["mkdir", "writeFile"],
      ["writeFile", "mkdir"],
      ["mkdirSync", "writeFileSync"],
    ]) {
      const result = inferIntentFromSites(order.map((operation) => ({ kind: "fs", operation })));
      expect(result?.summary, order.join(",")).toMatch(/^writeFile/);
      expect(result?.action).toBe("write");
    }
    expect(inferIntentFromSites([{ kind: "fs", operation: "mkdir" }])?.summary).toBe("mkdir");
  });

  it("reads the verb of a SQL statement past comments", () => {
    expect(sqlAction("/* report */ SELECT 1")).toBe("read");
    expect(sqlAction("-- x\nINSERT INTO t VALUES (1)")).toBe("write");
    expect(sqlAction("WITH x AS (SELECT 1) DELETE FROM t")).toBeUndefined();
  });
});

describe("inferIntent with the handler's side effects", () => {
  it("lets the body decide the resource and action over the tool's name", () => {
    const result = inferIntent({ name: "search_docs", description: "Search the docs" }, [
      { kind: "fetch", operation: "fetch", host: "docs.example.com", method: "GET" },
    ]);
    expect(result.intent).toEqual({ action: "read", resource: { type: "external_api", name: "docs.example.com" } });
    expect(result.confident).toBe(true);
    expect(result.fromBody).toBe("fetch GET to docs.example.com");
  });

  it("keeps the name from the tool's name when the body's URL is computed", () => {
    const result = inferIntent({ name: "send_payment", parameters: ["to", "amount"] }, [
      { kind: "fetch", operation: "fetch", method: "POST" },
    ]);
    expect(result.intent).toEqual({ action: "write", resource: { type: "external_api", name: "payment" } });
  });

  it("takes the action from the name when the body does not tell it", () => {
    const result = inferIntent({ name: "update_rows" }, [{ kind: "sql", operation: "query" }]);
    expect(result.intent.action).toBe("write");
    expect(result.intent.resource.type).toBe("database");
    expect(inferIntent({ name: "do_magic" }, [{ kind: "sql", operation: "query" }]).confident).toBe(false);
  });

  it("names the resource from a parameter of the body's resource type", () => {
    const result = inferIntent({ name: "disk_usage", parameters: ["path"] }, [{ kind: "fs", operation: "rm" }]);
    expect(result.intent).toEqual({ action: "delete", resource: { type: "filesystem" }, resourceNameFrom: "path" });
    const named = inferIntent({ name: "list_files", parameters: ["path"] }, [
      { kind: "child_process", operation: "execFile", program: "ls" },
    ]);
    expect(named.intent).toEqual({ action: "execute", resource: { type: "process", name: "ls" } });
  });

  it("keeps the PII and volume hints from the parameters", () => {
    const result = inferIntent({ name: "notify", parameters: { emails: { type: "array" } } }, [
      { kind: "fetch", operation: "fetch", method: "POST" },
    ]);
    expect(result.intent.data).toEqual({ pii: true, volume: "bulk" });
  });
});
