/**
 * The canonical vocabulary of intent events, as data.
 *
 * The enforce mock canonicalizes loose intent fields against these tables (exact term, then
 * synonym, then a fuzzy match for typos). Other parts of governor-init read the same tables:
 * the codemods infer an intent's action and resource type from them, and the docs list them.
 * Add a synonym here and every reader picks it up.
 */

/** One canonical term and the loose words that mean it. Synonyms are lower-case, `_`-separated. */
export interface VocabularyEntry {
  /** The canonical term policies are written against. */
  canonical: string;
  /** What the term means, for docs and explanations. */
  description: string;
  /** Loose words that canonicalize to {@link VocabularyEntry.canonical} with source `synonym`. */
  synonyms: readonly string[];
}

/** A field of an intent event that is canonicalized, and the table it is canonicalized against. */
export type VocabularyField = "action" | "resource_type" | "sensitivity" | "volume" | "actor_type";

/** Canonical actions (the verb of an intent event). */
export const ACTIONS: readonly VocabularyEntry[] = [
  {
    canonical: "read",
    description: "Reads data without changing it.",
    synonyms: [
      "query",
      "select",
      "get",
      "fetch",
      "list",
      "search",
      "find",
      "lookup",
      "view",
      "load",
      "download",
      "retrieve",
      "scan",
      "check",
      "look",
      "show",
      "describe",
      "count",
      "summarize",
      "browse",
      "translate",
      "calculate",
      "compute",
    ],
  },
  {
    canonical: "write",
    description: "Creates or changes data, or sends it somewhere.",
    synonyms: [
      "insert",
      "update",
      "create",
      "post",
      "put",
      "patch",
      "send",
      "upload",
      "upsert",
      "save",
      "store",
      "append",
      "modify",
      "publish",
      "set",
      "mkdir",
      "rename",
      "copy",
      "add",
      "edit",
      "submit",
      "book",
      "schedule",
      "reply",
      "notify",
      "refund",
      "charge",
      "pay",
      "transfer",
    ],
  },
  {
    canonical: "delete",
    description: "Removes data or a resource.",
    synonyms: [
      "remove",
      "drop",
      "destroy",
      "truncate",
      "purge",
      "erase",
      "unlink",
      "rm",
      "rmdir",
      "del",
      "cancel",
      "clear",
    ],
  },
  {
    canonical: "execute",
    description: "Runs a program, command or code.",
    synonyms: [
      "run",
      "exec",
      "spawn",
      "invoke",
      "call",
      "fork",
      "launch",
      "start",
      "restart",
      "eval",
      "shell",
      "deploy",
      "trigger",
    ],
  },
];

/** Canonical resource types (what an intent event acts on). */
export const RESOURCE_TYPES: readonly VocabularyEntry[] = [
  {
    canonical: "database",
    description: "A database, table or collection.",
    synonyms: [
      "postgres_db",
      "postgres",
      "postgresql",
      "pg",
      "mysql",
      "mariadb",
      "sql",
      "sqlite",
      "table",
      "db",
      "mongodb",
      "mongo",
      "collection",
      "redis",
      "dynamodb",
      "mssql",
      "oracle",
    ],
  },
  {
    canonical: "external_api",
    description: "An HTTP call to another service (its name is the service: `api.stripe.com` → `stripe`).",
    synonyms: [
      "http",
      "https",
      "api",
      "rest",
      "webhook",
      "url",
      "graphql",
      "endpoint",
      "web",
      "rest_api",
      "http_api",
      "saas",
      "status_page",
      "web_page",
      "webpage",
      "website",
    ],
  },
  {
    canonical: "filesystem",
    description: "Files and directories on a disk.",
    synonyms: ["file", "fs", "path", "disk", "directory", "dir", "folder", "local_file", "files"],
  },
  {
    canonical: "process",
    description: "A child process, shell command or program.",
    synonyms: [
      "shell",
      "command",
      "program",
      "child_process",
      "subprocess",
      "binary",
      "cli",
      "script",
      "cmd",
      "tests",
      "test_suite",
      "testsuite",
    ],
  },
  {
    canonical: "email",
    description: "Email sending or mailboxes.",
    synonyms: ["mail", "smtp", "mailbox", "inbox", "e_mail"],
  },
  {
    canonical: "message_queue",
    description: "A queue, topic or event bus.",
    synonyms: ["queue", "topic", "kafka", "sqs", "sns", "rabbitmq", "amqp", "pubsub", "event_bus", "stream"],
  },
  {
    canonical: "object_storage",
    description: "Buckets and blobs in object storage.",
    synonyms: ["s3", "bucket", "blob", "gcs", "object_store", "storage", "azure_blob"],
  },
  {
    canonical: "secret_store",
    description: "Secrets, credentials and keys.",
    synonyms: ["secret", "secrets", "vault", "kms", "credential", "credentials", "key_vault", "secret_manager"],
  },
];

/** Canonical data sensitivity levels, least to most sensitive. */
export const SENSITIVITY_LEVELS: readonly VocabularyEntry[] = [
  { canonical: "public", description: "Anyone may see it.", synonyms: ["open", "unclassified", "none"] },
  { canonical: "internal", description: "Staff only.", synonyms: ["private", "company", "internal_only", "employee"] },
  {
    canonical: "confidential",
    description: "Need-to-know.",
    synonyms: ["sensitive", "personal", "customer", "proprietary"],
  },
  {
    canonical: "restricted",
    description: "The most sensitive: secrets, regulated data.",
    synonyms: ["secret", "highly_confidential", "regulated", "classified", "top_secret"],
  },
];

/** Canonical data volumes. */
export const VOLUMES: readonly VocabularyEntry[] = [
  {
    canonical: "single",
    description: "One record or item.",
    synonyms: ["one", "row", "record", "item", "individual", "few"],
  },
  {
    canonical: "bulk",
    description: "Many records at once.",
    synonyms: ["batch", "many", "all", "mass", "export", "multiple", "full"],
  },
];

/** Canonical actor types. */
export const ACTOR_TYPES: readonly VocabularyEntry[] = [
  {
    canonical: "user",
    description: "A human user.",
    synonyms: ["human", "person", "customer", "end_user", "member", "employee"],
  },
  {
    canonical: "service",
    description: "A non-AI service or job.",
    synonyms: ["system", "daemon", "backend", "app", "application", "job", "worker", "cron"],
  },
  {
    canonical: "agent",
    description: "An AI agent acting on someone's behalf.",
    synonyms: ["ai", "bot", "assistant", "llm", "ai_agent", "copilot", "model"],
  },
];

/** Every canonicalized field and its table. */
export const VOCABULARY: Readonly<Record<VocabularyField, readonly VocabularyEntry[]>> = {
  action: ACTIONS,
  resource_type: RESOURCE_TYPES,
  sensitivity: SENSITIVITY_LEVELS,
  volume: VOLUMES,
  actor_type: ACTOR_TYPES,
};

/**
 * Confidence reported for each way a raw value can be canonicalized. Fuzzy matches scale down
 * from {@link CONFIDENCE.fuzzy} with the edit distance; passthrough means "not understood".
 */
export const CONFIDENCE = {
  exact: 1,
  synonym: 0.95,
  fuzzy: 0.85,
  passthrough: 0.3,
} as const;
