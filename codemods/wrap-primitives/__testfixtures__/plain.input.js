import { spawn } from 'child_process'

export function run(cmd, args) {
  const child = spawn(cmd, args, { stdio: 'inherit' })
  return new Promise((resolve) => child.on('exit', resolve))
}

export const fetchJson = async (url) => (await fetch(url)).json()
