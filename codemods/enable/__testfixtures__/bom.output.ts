import "@governor/sdk/register";
import { startAgent } from "./agent";

startAgent();
