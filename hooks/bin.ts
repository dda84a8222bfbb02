#!/usr/bin/env node
/**
 * The hook command's own entry, `dist/hooks/bin.js <client> <event> [--reads]`: the smallest module
 * graph, for agents that launch it with node directly. `governor-init hook …` reaches the same
 * {@link main} through a fast path in `cli/bin.ts`, before the command tree loads.
 */
import { main } from "./main.js";

main(process.argv.slice(2));
