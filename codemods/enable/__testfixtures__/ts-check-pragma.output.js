// @ts-check
import "@governor/sdk/register";
import { run } from "./agent.js";

await run();
