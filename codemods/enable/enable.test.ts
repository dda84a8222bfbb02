import { runFixtureCases } from "../shared/fixture-harness.js";
import { enableTransform } from "./index.js";

runFixtureCases(enableTransform, new URL("./__testfixtures__/", import.meta.url));
