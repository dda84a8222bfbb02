/** The options every way of serving the proxy takes; its own module so `index.ts` and `http.ts` do not import each other. */
import type { FailMode } from "@governor/sdk";
import type { DownstreamSpec } from "./downstream.js";
import type { IntentOverride } from "./overrides.js";

/** Options of {@link runStdioProxy} and {@link startHttpProxy}. */
export interface ProxyOptions {
  downstream: DownstreamSpec;
  /** The server's name in intents; default the name the server reports. */
  serverName?: string;
  overrides?: IntentOverride[];
  /** Overrides `GOVERNOR_FAIL_MODE`. `open` runs calls that could not be decided, with a loud warning each time. */
  failMode?: FailMode;
  /** Diagnostics (default: stderr). */
  log?: (line: string) => void;
}
