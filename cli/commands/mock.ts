import type { Command } from "commander";

/** `governor-init mock`: the bundled enforce mock. Implemented in enforce-mock/. */
export function registerMockCommand(program: Command): void {
  program
    .command("mock")
    .description("Start the local enforce mock (POST /api/v2/enforce and siblings).")
    .action(() => {
      throw new Error("not implemented yet");
    });
}
