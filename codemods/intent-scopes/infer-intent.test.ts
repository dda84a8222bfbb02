import { describe, expect, it } from "vitest";
import {
  TODO_ACTION,
  TODO_RESOURCE_TYPE,
  inferIntent,
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
  // Verbs and nouns from the vocabulary table (enforce-mock/vocabulary.ts), the one table the mock shares.
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
    expect(inferIntent({ name: "read_file", parameters: ["name"] }).intent.data).toEqual({ pii: true });
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
