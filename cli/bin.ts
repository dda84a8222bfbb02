#!/usr/bin/env node
// `governor-init hook …` runs for every action a coding agent takes: it skips the command tree
// (commander, zod, every command module) and loads only the hook modules.
const argv = process.argv.slice(2);
if (argv[0] === "hook" && !argv.includes("--help") && !argv.includes("-h")) {
  const { main } = await import("../hooks/main.js");
  main(argv);
} else {
  const { run } = await import("./program.js");
  const { handleError } = await import("./handle-error.js");

  // `governor-init docs search … | head` closes our stdout early: that is the reader's choice, not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });

  run(process.argv).catch((error: unknown) => {
    process.exitCode = handleError(error, { json: process.argv.includes("--json") });
  });
}
