import fs from "fs";

export function save(path: string, data: string) {
  fs.writeFileSync(path, data);
  return fetch("https://example.com/saved");
}
