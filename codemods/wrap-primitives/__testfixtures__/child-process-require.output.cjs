"use strict";

const cp = require("child_process");
const { execSync, spawn: launch } = require("node:child_process");
const { promisify } = require("util");
const { govern } = require("@governor/sdk");
const exec = promisify(govern(require("child_process").exec));

function build() {
  govern(execSync)("npm run build", { stdio: "inherit" });
}

function serve() {
  return govern(launch)("node", ["server.js"]);
}

async function deploy() {
  await exec("./deploy.sh");
  return govern(require("node:child_process")).execFileSync("git", ["rev-parse", "HEAD"]).toString().trim();
}

function clean() {
  govern(cp).execSync("rm -rf dist");
}

module.exports = { build, serve, deploy, clean };
