import { describe, expect, it } from "vitest";
import { splitValidateOperands } from "./validate.js";

describe("splitValidateOperands", () => {
  it("takes everything after -- as the command, and one operand before it as the dir", () => {
    expect(
      splitValidateOperands(["app", "node", "x.js"], ["node", "bin", "validate", "app", "--", "node", "x.js"]),
    ).toEqual({ dir: "app", command: ["node", "x.js"] });
    expect(splitValidateOperands(["node", "x.js"], ["node", "bin", "validate", "--", "node", "x.js"])).toEqual({
      dir: undefined,
      command: ["node", "x.js"],
    });
    // a second -- belongs to the command
    expect(
      splitValidateOperands(
        ["npm", "run", "--", "start"],
        ["node", "bin", "validate", "--", "npm", "run", "--", "start"],
      ),
    ).toEqual({ dir: undefined, command: ["npm", "run", "--", "start"] });
  });

  it("without --, there is no command", () => {
    expect(splitValidateOperands(["app"], ["node", "bin", "validate", "app"])).toEqual({ dir: "app", command: [] });
  });
});
