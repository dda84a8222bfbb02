const fs = require("fs");
const path = require("path");

async function report(dir, data) {
  const res = await fetch("https://api.example.com/report", { method: "POST", body: JSON.stringify(data) });
  fs.writeFileSync(path.join(dir, "report.json"), await res.text());
}

module.exports = { report };
