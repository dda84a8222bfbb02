import { startAgent } from "./agent";

startAgent();
