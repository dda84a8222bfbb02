import { describe, expect, it } from "vitest";
import { editDistance } from "./edit-distance.js";

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions, and an adjacent swap as one edit", () => {
    expect(editDistance("read", "read", 2)).toBe(0);
    expect(editDistance("raed", "read", 2)).toBe(1);
    expect(editDistance("reed", "read", 2)).toBe(1);
    expect(editDistance("rea", "read", 2)).toBe(1);
    expect(editDistance("refnud", "refund", 2)).toBe(1);
    expect(editDistance("write", "wrote", 2)).toBe(1);
    expect(editDistance("delete", "deleet", 2)).toBe(1);
  });

  it("gives up above the cap, answering cap + 1", () => {
    expect(editDistance("refund", "read", 1)).toBe(2);
    expect(editDistance("a", "abcdef", 2)).toBe(3);
    expect(editDistance("kitten", "sitting", 3)).toBe(3);
    expect(editDistance("kitten", "sitting", 2)).toBe(3);
  });
});
