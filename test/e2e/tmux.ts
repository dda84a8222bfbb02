/** Drives a real terminal (tmux) for end-to-end tests of the interactive wizard. */
import { execFileSync } from "node:child_process";

/** A tmux session on a private server socket, so tests never touch the user's tmux. */
export class TmuxSession {
  private readonly socket = `gi-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  readonly name = "wizard";

  constructor(
    command: string,
    options: { cwd: string; env?: Record<string, string>; width?: number; height?: number },
  ) {
    const env = Object.entries({ NO_COLOR: "1", ...options.env })
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(" ");
    this.tmux(
      "new-session",
      "-d",
      "-s",
      this.name,
      "-x",
      String(options.width ?? 140),
      "-y",
      String(options.height ?? 60),
      "-c",
      options.cwd,
      // Keep the pane after the command ends so its last screen and exit status can be read.
      `env ${env} ${command}; echo "[exit $?]"; sleep 600`,
    );
  }

  private tmux(...args: string[]): string {
    return execFileSync("tmux", ["-L", this.socket, ...args], { encoding: "utf8" });
  }

  /** The visible screen plus scrollback, as text. */
  screen(): string {
    return this.tmux("capture-pane", "-p", "-J", "-S", "-500", "-t", this.name);
  }

  /** Sends keys (tmux key names like Enter, Space, Down, C-c). */
  keys(...keys: string[]): void {
    this.tmux("send-keys", "-t", this.name, ...keys);
  }

  /** Types literal text. */
  type(text: string): void {
    this.tmux("send-keys", "-t", this.name, "-l", text);
  }

  /** Waits until the screen matches, or throws with the screen after `timeoutMs`. */
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Kills this test's tmux server (and the processes in it). */
  close(): void {
    try {
      this.tmux("kill-server");
    } catch {
      // already gone
    }
  }
}
