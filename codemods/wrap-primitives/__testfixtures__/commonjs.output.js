const fs = require("fs");
const path = require("path");
const { govern } = require("@governor/sdk");

async function report(dir, data) {
  const res = await govern(fetch)("https://api.example.com/report", { method: "POST", body: JSON.stringify(data) });
  govern(fs).writeFileSync(path.join(dir, "report.json"), await res.text());
}

module.exports = { report };
