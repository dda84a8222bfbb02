// @ts-check
import { run } from "./agent.js";

await run();
